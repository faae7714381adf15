package catalog

// Subscription is a product a tenant has bought and how many seats it has
// (subscribedSku.prepaidUnits.enabled).
type Subscription struct {
	SkuPartNumber  string
	PrepaidEnabled int
}

// defaultSubscriptions: every part number resolves in the catalogue (a test
// checks it).
var defaultSubscriptions = []Subscription{
	{SkuPartNumber: "ENTERPRISEPACK", PrepaidEnabled: 25},    // Office 365 E3
	{SkuPartNumber: "ENTERPRISEPREMIUM", PrepaidEnabled: 10}, // Office 365 E5
	{SkuPartNumber: "EMS", PrepaidEnabled: 25},               // Enterprise Mobility + Security E3
	{SkuPartNumber: "EMSPREMIUM", PrepaidEnabled: 10},        // Enterprise Mobility + Security E5
	{SkuPartNumber: "SPE_E3", PrepaidEnabled: 50},            // Microsoft 365 E3
	{SkuPartNumber: "AAD_PREMIUM", PrepaidEnabled: 50},       // Microsoft Entra ID P1
	{SkuPartNumber: "AAD_PREMIUM_P2", PrepaidEnabled: 20},    // Microsoft Entra ID P2
	{SkuPartNumber: "POWER_BI_PRO", PrepaidEnabled: 15},      // Power BI Pro
	{SkuPartNumber: "FLOW_FREE", PrepaidEnabled: 10000},      // Power Automate Free (viral SKU)
}

// DefaultSubscriptions returns the products a new graphmock tenant has bought,
// with realistic seat counts: Office 365 E3 (ENTERPRISEPACK, 25), Office 365
// E5 (ENTERPRISEPREMIUM, 10), EMS E3 (EMS, 25), EMS E5 (EMSPREMIUM, 10),
// Microsoft 365 E3 (SPE_E3, 50), Entra ID P1 (AAD_PREMIUM, 50), Entra ID P2
// (AAD_PREMIUM_P2, 20), Power BI Pro (POWER_BI_PRO, 15) and Power Automate
// Free (FLOW_FREE, 10000). Resolve each with [ByPartNumber]. The result is a
// fresh copy.
func DefaultSubscriptions() []Subscription {
	out := make([]Subscription, len(defaultSubscriptions))
	copy(out, defaultSubscriptions)
	return out
}
