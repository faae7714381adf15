package engine

import "strings"

// PutSubscribedSku inserts or replaces a subscribed SKU (fixtures and the control plane; Graph has
// no API that writes subscribedSkus).
func (tx *Txn) PutSubscribedSku(s *SubscribedSku) error {
	c := s.Clone()
	c.SkuID = strings.ToLower(c.SkuID)
	if !IsGUID(c.SkuID) {
		return BadRequest("Invalid value specified for property 'skuId' of resource 'SubscribedSku'.")
	}
	if c.PrepaidUnits.Enabled < 0 || c.ConsumedUnits < 0 {
		return BadRequest("Invalid value specified for property 'prepaidUnits' of resource 'SubscribedSku'.")
	}
	return tx.insert(TableSkus, c)
}

// SubscribedSkus returns every subscribed SKU ordered by skuId.
func (tx *Txn) SubscribedSkus() ([]*SubscribedSku, error) {
	var out []*SubscribedSku
	err := tx.each(TableSkus, IndexID, func(raw any) bool { out = append(out, raw.(*SubscribedSku)); return true })
	return out, err
}

// SubscribedSkuByID returns the SKU with skuId id (case-insensitive), or nil when the tenant
// doesn't subscribe to it.
func (tx *Txn) SubscribedSkuByID(id string) (*SubscribedSku, error) {
	raw, err := tx.first(TableSkus, IndexID, strings.ToLower(id))
	if err != nil || raw == nil {
		return nil, err
	}
	return raw.(*SubscribedSku), nil
}

// SubscribedSkuByPartNumber returns the SKU with the given skuPartNumber, or nil.
func (tx *Txn) SubscribedSkuByPartNumber(part string) (*SubscribedSku, error) {
	raw, err := tx.first(TableSkus, IndexPartNumber, strings.ToLower(part))
	if err != nil || raw == nil {
		return nil, err
	}
	return raw.(*SubscribedSku), nil
}

// SubscribedSkuResourceID is the subscribedSku id Graph uses: "{tenantId}_{skuId}" (graph-facts §1.3).
func SubscribedSkuResourceID(tenantID, skuID string) string { return tenantID + "_" + skuID }
