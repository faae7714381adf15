package graphmock

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// licenseChange is the body of assignLicense: addLicenses and removeLicenses (graph-facts §2.4).
type licenseChange struct {
	add    []engine.AssignedLicense
	remove []string
}

// decodeLicenseChange reads an assignLicense body. Both parameters are required (either may be
// an empty array); skuIds and disabledPlans must be GUIDs. Errors are the OData reader's
// refusals (graph-facts §2.4; wording [unc] where marked).
func decodeLicenseChange(r *http.Request) (*licenseChange, error) {
	members, order, err := decodeBody(r)
	if err != nil {
		return nil, err
	}
	var add, remove json.RawMessage
	for _, k := range order {
		switch {
		case strings.EqualFold(k, "addLicenses"):
			add = members[k]
		case strings.EqualFold(k, "removeLicenses"):
			remove = members[k]
		case strings.HasPrefix(k, "@odata."):
		default:
			// The OData reader's refusal of an unknown action parameter [unc: exact text].
			return nil, newHTTPError(http.StatusBadRequest, engine.CodeRequestBadRequest,
				fmt.Sprintf("The parameter '%s' in the request payload is not a valid parameter for the operation 'assignLicense'.", k))
		}
	}
	var missing []string
	if add == nil {
		missing = append(missing, "addLicenses")
	}
	if remove == nil {
		missing = append(missing, "removeLicenses")
	}
	if len(missing) > 0 {
		// The OData reader's refusal of missing action parameters [unc: exact text].
		return nil, newHTTPError(http.StatusBadRequest, engine.CodeRequestBadRequest,
			"One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: "+strings.Join(missing, ", ")+".")
	}
	for name, raw := range map[string]json.RawMessage{"addLicenses": add, "removeLicenses": remove} {
		if isNull(raw) {
			edm := "Collection(microsoft.graph.assignedLicense)"
			if name == "removeLicenses" {
				edm = "Collection(Edm.Guid)"
			}
			// Graph's docs say to send [] and never null [doc]; the refusal's text is [unc].
			return nil, newHTTPError(http.StatusBadRequest, engine.CodeRequestBadRequest,
				fmt.Sprintf("A null value was found for the property named '%s', which has the expected type '%s[Nullable=False]'. The expected type '%s[Nullable=False]' does not allow null values.", name, edm, edm))
		}
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(add, &entries); err != nil {
		return nil, errWrongType(add, "Collection(microsoft.graph.assignedLicense)")
	}
	out := &licenseChange{add: []engine.AssignedLicense{}, remove: []string{}}
	for _, raw := range entries {
		fields, order, err := decodeObject(raw)
		if err != nil {
			return nil, errWrongType(raw, "microsoft.graph.assignedLicense")
		}
		var l engine.AssignedLicense
		var hasSku bool
		for _, k := range order {
			v := fields[k]
			switch {
			case strings.EqualFold(k, "skuId"):
				if l.SkuID, err = decodeGUID(v); err != nil {
					return nil, err
				}
				hasSku = l.SkuID != ""
			case strings.EqualFold(k, "disabledPlans"):
				if l.DisabledPlans, err = decodeGUIDs(v); err != nil {
					return nil, err
				}
			case strings.HasPrefix(k, "@odata."):
			default:
				return nil, newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, fmt.Sprintf(
					"The property '%s' does not exist on type 'microsoft.graph.assignedLicense'. Make sure to only use property names that are defined by the type or mark the type as open type.", k))
			}
		}
		if !hasSku {
			return nil, engine.MissingValue("skuId")
		}
		out.add = append(out.add, l)
	}
	if out.remove, err = decodeGUIDs(remove); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeGUID reads an Edm.Guid; null → "".
func decodeGUID(raw json.RawMessage) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil || !engine.IsGUID(s) {
		return "", errWrongType(raw, "Edm.Guid")
	}
	return strings.ToLower(s), nil
}

// decodeGUIDs reads a Collection(Edm.Guid); null → empty.
func decodeGUIDs(raw json.RawMessage) ([]string, error) {
	if isNull(raw) {
		return []string{}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, errWrongType(raw, "Collection(Edm.Guid)")
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		g, err := decodeGUID(it)
		if err != nil {
			return nil, err
		}
		if g == "" {
			return nil, errWrongType(it, "Edm.Guid")
		}
		out = append(out, g)
	}
	return out, nil
}

// assignUserLicense serves POST /users/{id | userPrincipalName}/assignLicense: 200 with the user
// (graph-facts §0.1, §2.4). Errors: engine.AssignLicense's and the body's.
func (s *Server) assignUserLicense(w http.ResponseWriter, r *http.Request) error {
	t := s.tenantFor(r)
	ref := pathVar(r, "user-id")
	if err := t.store.View(func(tx *engine.Txn) error { _, err := tx.UserByRef(ref); return err }); err != nil {
		return err
	}
	change, err := decodeLicenseChange(r)
	if err != nil {
		return err
	}
	var u *engine.User
	err = t.store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		u, err = tx.AssignLicense(ref, change.add, change.remove)
		return err
	})
	if err != nil {
		return err
	}
	s.writeUser(w, r, http.StatusOK, u, nil)
	return nil
}

// assignGroupLicense serves POST /groups/{id}/assignLicense: 202 Accepted with the group and
// Location https://graph.microsoft.com/v2/{tenantId}/directoryObjects/{groupId}/Microsoft.DirectoryServices.Group
// (graph-facts §0.1, §2.4). Member processing follows through the processing queue.
func (s *Server) assignGroupLicense(w http.ResponseWriter, r *http.Request) error {
	t := s.tenantFor(r)
	id := pathVar(r, "group-id")
	if err := t.store.View(func(tx *engine.Txn) error { _, err := tx.GroupByID(id); return err }); err != nil {
		return err
	}
	change, err := decodeLicenseChange(r)
	if err != nil {
		return err
	}
	var g *engine.Group
	err = t.store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		g, err = tx.AssignGroupLicense(id, change.add, change.remove)
		return err
	})
	if err != nil {
		return err
	}
	// In immediate mode processing has already run: answer with the group as it is now.
	_ = t.store.View(func(tx *engine.Txn) error {
		if cur, err := tx.GroupByID(g.ID); err == nil {
			g = cur
		}
		return nil
	})
	w.Header().Set("Location", directoryObjectLocation(t.id, g.ID, "Group"))
	s.writeGroup(w, r, http.StatusAccepted, g, nil)
	return nil
}

// reprocessLicenseAssignment serves POST /users/{id}/reprocessLicenseAssignment: 200 with the
// user after its group paths were evaluated again (graph-facts §2.4, §4.5).
func (s *Server) reprocessLicenseAssignment(w http.ResponseWriter, r *http.Request) error {
	var u *engine.User
	err := s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		var err error
		u, err = tx.ReprocessLicenseAssignment(pathVar(r, "user-id"))
		return err
	})
	if err != nil {
		return err
	}
	s.writeUser(w, r, http.StatusOK, u, nil)
	return nil
}

// licenseDetail is one entry of GET /users/{id}/licenseDetails.
type licenseDetail struct {
	id       string
	sku      *engine.SubscribedSku
	disabled []string
}

// licenseDetailsType is the wire form of microsoft.graph.licenseDetails (graph-facts §1.4).
var licenseDetailsType = newEntityType("microsoft.graph.licenseDetails", "LicenseDetails", []prop[licenseDetail]{
	{name: "id", def: true, get: func(d *licenseDetail) any { return d.id }},
	{name: "servicePlans", def: true, get: func(d *licenseDetail) any { return encodeServicePlans(d.sku.ServicePlans, d.disabled) }},
	{name: "skuId", def: true, get: func(d *licenseDetail) any { return d.sku.SkuID }},
	{name: "skuPartNumber", def: true, get: func(d *licenseDetail) any { return d.sku.SkuPartNumber }},
})

// licenseDetailID is an opaque, stable id: the user's and the SKU's GUID bytes, base64url, the
// shape real ids have (graph-facts §1.4).
func licenseDetailID(userID, skuID string) string {
	b, err1 := hex.DecodeString(strings.ReplaceAll(userID, "-", ""))
	c, err2 := hex.DecodeString(strings.ReplaceAll(skuID, "-", ""))
	if err1 != nil || err2 != nil {
		return base64.RawURLEncoding.EncodeToString([]byte(userID + "_" + skuID))
	}
	return base64.RawURLEncoding.EncodeToString(append(b, c...))
}

// listLicenseDetails serves GET /users/{id}/licenseDetails: one entry per held SKU (direct or
// inherited), disabled plans with provisioningStatus "Disabled" ($select only, graph-facts §1.4).
func (s *Server) listLicenseDetails(w http.ResponseWriter, r *http.Request) error {
	// licenseDetails takes $select like subscribedSkus, whose properties it shares (graph-facts §1.4).
	q, err := parseQuery(r, odata.SubscribedSkus)
	if err != nil {
		return err
	}
	var u *engine.User
	var details []*licenseDetail
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		if u, err = tx.UserByRef(pathVar(r, "user-id")); err != nil {
			return err
		}
		for _, l := range u.AssignedLicenses {
			sku, err := tx.SubscribedSkuByID(l.SkuID)
			if err != nil {
				return err
			}
			if sku != nil {
				details = append(details, &licenseDetail{id: licenseDetailID(u.ID, l.SkuID), sku: sku, disabled: l.DisabledPlans})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	recs := make([]entityRecord[licenseDetail], len(details))
	for i, d := range details {
		recs[i] = entityRecord[licenseDetail]{et: licenseDetailsType, obj: d}
	}
	pg, count, next, err := pageOf(q, recs)
	if err != nil {
		return err
	}
	values := make([]object, len(pg))
	for i, rec := range pg {
		values[i] = licenseDetailsType.encode(rec.obj, q.Select, false)
	}
	writeCollection(w, r, q, collection{context: contextURL(r, "users('"+u.ID+"')/licenseDetails"+selectSuffix(q.Select)), values: values, count: count, next: next})
	return nil
}

func selectSuffix(sel []string) string {
	if len(sel) == 0 {
		return ""
	}
	return "(" + strings.Join(sel, ",") + ")"
}

// listMembersWithLicenseErrors serves GET /groups/{id}/membersWithLicenseErrors: the users whose
// license from this group is in error, as a directoryObject collection (graph-facts §1.2).
func (s *Server) listMembersWithLicenseErrors(w http.ResponseWriter, r *http.Request) error {
	return s.listObjects(w, r, s.groupRelation(r, licenseErrorMembers))
}

// licenseErrorMembers returns the users whose license from group id is in error, in id order.
func licenseErrorMembers(tx *engine.Txn, id string) ([]engine.DirectoryObject, error) {
	users, err := tx.MembersWithLicenseErrors(id)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(users, func(a, b *engine.User) int { return strings.Compare(a.ID, b.ID) })
	out := make([]engine.DirectoryObject, len(users))
	for i, u := range users {
		out[i] = engine.DirectoryObject{Kind: engine.ObjectUser, User: u}
	}
	return out, nil
}
