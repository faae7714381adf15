package catalog

import (
	"slices"
	"strings"
	"sync"
)

// Product is one commercial SKU as Graph shows it in subscribedSku and
// licenseDetails: skuId, skuPartNumber, a display name, and the service plans
// it bundles. Values come from Microsoft's "Product names and service plan
// identifiers for licensing" (GUID, String_Id, Product_Display_Name and the
// plan columns; see the package documentation).
type Product struct {
	SkuID         string // lower-case GUID, e.g. "6fd2c87f-b296-42f0-b197-1e91e994b900"
	SkuPartNumber string // e.g. "ENTERPRISEPACK"
	DisplayName   string // e.g. "Office 365 E3"
	ServicePlans  []ServicePlan
}

// ServicePlan is one service plan as Graph shows it in servicePlanInfo and
// assignedPlan. ServicePlanID, ServicePlanName and FriendlyName come from
// Microsoft's "Product names and service plan identifiers for licensing"
// (Service_Plan_Id, Service_Plan_Name, Service_Plans_Included_Friendly_Names);
// Service and AppliesTo are derived from the name.
type ServicePlan struct {
	ServicePlanID   string // lower-case GUID
	ServicePlanName string // e.g. "EXCHANGE_S_ENTERPRISE"
	FriendlyName    string // e.g. "Exchange Online (Plan 2)"
	// Service is the workload Graph reports in assignedPlan.service, e.g.
	// "exchange" or "SharePoint"; see [ServiceFor].
	Service string
	// AppliesTo is "User" or "Company" (servicePlanInfo.appliesTo); see [AppliesToFor].
	AppliesTo string
}

type rawPlan struct{ id, name, friendly string }

type rawProduct struct {
	skuID, part, name string
	plans             []uint16
}

type index struct {
	plans    []ServicePlan
	planByID map[string]int
	products []Product // sorted by SkuPartNumber, then SkuID
	bySku    map[string]int
	byPart   map[string]int // exact part number → first (lowest skuId) product
	byFold   map[string]int // lower-cased part number → first product
}

var load = sync.OnceValue(func() *index {
	x := &index{
		plans:    make([]ServicePlan, len(rawPlans)),
		planByID: make(map[string]int, len(rawPlans)),
		products: make([]Product, len(rawProducts)),
		bySku:    make(map[string]int, len(rawProducts)),
		byPart:   make(map[string]int, len(rawProducts)),
		byFold:   make(map[string]int, len(rawProducts)),
	}
	for i, p := range rawPlans {
		x.plans[i] = ServicePlan{
			ServicePlanID:   p.id,
			ServicePlanName: p.name,
			FriendlyName:    p.friendly,
			Service:         ServiceFor(p.name),
			AppliesTo:       AppliesToFor(p.name),
		}
		x.planByID[p.id] = i
	}
	for i, p := range rawProducts {
		plans := make([]ServicePlan, len(p.plans))
		for j, k := range p.plans {
			plans[j] = x.plans[k]
		}
		x.products[i] = Product{SkuID: p.skuID, SkuPartNumber: p.part, DisplayName: p.name, ServicePlans: plans}
		x.bySku[p.skuID] = i
		if _, ok := x.byPart[p.part]; !ok {
			x.byPart[p.part] = i
		}
		if _, ok := x.byFold[strings.ToLower(p.part)]; !ok {
			x.byFold[strings.ToLower(p.part)] = i
		}
	}
	return x
})

func (p Product) clone() Product {
	p.ServicePlans = slices.Clone(p.ServicePlans)
	return p
}

// Products returns every product of the catalogue, sorted by SkuPartNumber
// and then SkuID. The result is a fresh copy the caller may change.
func Products() []Product {
	x := load()
	out := make([]Product, len(x.products))
	for i, p := range x.products {
		out[i] = p.clone()
	}
	return out
}

// BySkuID returns the product with the given skuId (GUID, compared
// case-insensitively; surrounding braces are ignored).
func BySkuID(id string) (Product, bool) {
	x := load()
	i, ok := x.bySku[normGUID(id)]
	if !ok {
		return Product{}, false
	}
	return x.products[i].clone(), true
}

// ByPartNumber returns the product with the given skuPartNumber. An exact
// match is preferred; otherwise the part number is compared
// case-insensitively. When several products share a part number (MCOPSTN5)
// the one with the lowest skuId is returned.
func ByPartNumber(part string) (Product, bool) {
	x := load()
	i, ok := x.byPart[part]
	if !ok {
		i, ok = x.byFold[strings.ToLower(part)]
	}
	if !ok {
		return Product{}, false
	}
	return x.products[i].clone(), true
}

// PlanByID returns the service plan with the given servicePlanId (GUID,
// compared case-insensitively).
func PlanByID(id string) (ServicePlan, bool) {
	x := load()
	i, ok := x.planByID[normGUID(id)]
	if !ok {
		return ServicePlan{}, false
	}
	return x.plans[i], true
}

// Plans returns every service plan of the catalogue, sorted by ServicePlanID.
func Plans() []ServicePlan {
	return slices.Clone(load().plans)
}

func normGUID(id string) string {
	return strings.ToLower(strings.Trim(strings.TrimSpace(id), "{}"))
}
