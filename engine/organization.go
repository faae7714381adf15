package engine

import "strings"

// SetOrganization writes the tenant's organization record (one per store).
func (tx *Txn) SetOrganization(o *Organization) error {
	if !IsGUID(o.ID) {
		return BadRequest("Invalid value specified for property 'id' of resource 'Organization'.")
	}
	c := *o
	c.ID = strings.ToLower(o.ID)
	c.VerifiedDomains = append([]VerifiedDomain(nil), o.VerifiedDomains...)
	if old, _ := tx.Organization(); old != nil && !strings.EqualFold(old.ID, c.ID) {
		if err := tx.delete(TableOrganization, old); err != nil {
			return err
		}
	}
	return tx.insert(TableOrganization, &c)
}

// Organization returns the tenant's organization, or a 404 error before one is set.
func (tx *Txn) Organization() (*Organization, error) {
	var org *Organization
	if err := tx.each(TableOrganization, IndexID, func(raw any) bool { org = raw.(*Organization); return false }); err != nil {
		return nil, err
	}
	if org == nil {
		return nil, NotFound("organization")
	}
	return org, nil
}

// DefaultDomain returns the organization's default verified domain name ("" without one).
func (o *Organization) DefaultDomain() string {
	for _, d := range o.VerifiedDomains {
		if d.IsDefault {
			return d.Name
		}
	}
	if len(o.VerifiedDomains) > 0 {
		return o.VerifiedDomains[0].Name
	}
	return ""
}

// HasDomain reports whether name (case-insensitive) is one of the verified domains.
func (o *Organization) HasDomain(name string) bool {
	for _, d := range o.VerifiedDomains {
		if strings.EqualFold(d.Name, name) {
			return true
		}
	}
	return false
}

// domainType returns the type ("Managed", "Federated") of verified domain name, "" if absent.
func (o *Organization) domainType(name string) string {
	for _, d := range o.VerifiedDomains {
		if strings.EqualFold(d.Name, name) {
			return d.Type
		}
	}
	return ""
}

// LicensingUsageLocation is the location group-based licensing uses for a user without one:
// the organization's defaultUsageLocation, else its countryLetterCode (graph-facts §4.4 leaves
// open which of the two the service reads).
func (o *Organization) LicensingUsageLocation() string {
	if o.DefaultUsageLocation != "" {
		return o.DefaultUsageLocation
	}
	return o.CountryLetterCode
}
