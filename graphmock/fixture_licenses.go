package graphmock

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/graphmock/graphmock/engine"
)

// FixtureLicense is a license in a fixture: a SKU by skuPartNumber or skuId, and either the plans
// to disable or (a fixture convenience) the only plans to enable; plans by servicePlanName or
// servicePlanId. enabledPlans is turned into disabledPlans at load, so plans added to the SKU
// later are enabled by default, as in Entra ID.
type FixtureLicense struct {
	SkuPartNumber string   `json:"skuPartNumber,omitempty"`
	SkuID         string   `json:"skuId,omitempty"`
	DisabledPlans []string `json:"disabledPlans,omitempty"`
	EnabledPlans  []string `json:"enabledPlans,omitempty"`
}

func decodeFixtureLicenses(raw json.RawMessage) ([]FixtureLicense, error) {
	var out []FixtureLicense
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("assignedLicenses: %w", err)
	}
	return out, nil
}

// resolveFixtureLicenses turns fixture licenses into assignedLicense values of the tenant's SKUs.
func resolveFixtureLicenses(tx *engine.Txn, in []FixtureLicense) ([]engine.AssignedLicense, error) {
	out := make([]engine.AssignedLicense, 0, len(in))
	for _, fl := range in {
		var sku *engine.SubscribedSku
		var err error
		switch {
		case fl.SkuID != "":
			sku, err = tx.SubscribedSkuByID(fl.SkuID)
		case fl.SkuPartNumber != "":
			sku, err = tx.SubscribedSkuByPartNumber(fl.SkuPartNumber)
		default:
			return nil, fmt.Errorf("skuPartNumber or skuId is required")
		}
		if err != nil {
			return nil, err
		}
		if sku == nil {
			return nil, fmt.Errorf("the tenant has no subscription %q%q", fl.SkuPartNumber, fl.SkuID)
		}
		if len(fl.DisabledPlans) > 0 && len(fl.EnabledPlans) > 0 {
			return nil, fmt.Errorf("%s: give disabledPlans or enabledPlans, not both", sku.SkuPartNumber)
		}
		planID := func(ref string) (string, error) {
			for _, p := range sku.ServicePlans {
				if strings.EqualFold(p.ServicePlanID, ref) || strings.EqualFold(p.ServicePlanName, ref) {
					return p.ServicePlanID, nil
				}
			}
			return "", fmt.Errorf("%s has no service plan %q", sku.SkuPartNumber, ref)
		}
		l := engine.AssignedLicense{SkuID: sku.SkuID, DisabledPlans: []string{}}
		for _, ref := range fl.DisabledPlans {
			id, err := planID(ref)
			if err != nil {
				return nil, err
			}
			l.DisabledPlans = append(l.DisabledPlans, id)
		}
		if len(fl.EnabledPlans) > 0 {
			keep := map[string]bool{}
			for _, ref := range fl.EnabledPlans {
				id, err := planID(ref)
				if err != nil {
					return nil, err
				}
				keep[id] = true
			}
			for _, p := range sku.ServicePlans {
				if !keep[p.ServicePlanID] {
					l.DisabledPlans = append(l.DisabledPlans, p.ServicePlanID)
				}
			}
		}
		out = append(out, l)
	}
	return out, nil
}
