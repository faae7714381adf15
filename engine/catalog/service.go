package catalog

import "strings"

// Service values of assignedPlan.service as Graph v1.0 reports them.
const (
	ServiceExchange      = "exchange"
	ServiceSharePoint    = "SharePoint"
	ServiceOffice        = "MicrosoftOffice"
	ServiceSkype         = "MicrosoftCommunicationsOnline"
	ServiceTeams         = "TeamspaceAPI"
	ServiceEntraPremium  = "AADPremiumService"
	ServiceMFA           = "MultiFactorService"
	ServiceIntune        = "SCO"
	ServiceRMS           = "RMSOnline"
	ServicePowerAutomate = "ProcessSimple"
	ServicePowerApps     = "PowerAppsService"
	ServiceCloudAppSec   = "Adallom"
	ServiceDefenderEP    = "WindowsDefenderATP"
)

// serviceByName maps a whole service plan name (upper-cased) to its
// assignedPlan.service value. The entries were seen in Graph v1.0 responses:
// a user's assignedPlans paired by servicePlanId with the servicePlanName in
// the same user's licenseDetails. They win over servicePrefixes.
var serviceByName = map[string]string{
	"VIVA_LEARNING_SEEDED":               "LearningAppServiceInTeams",
	"NUCLEUS":                            ServiceSharePoint,
	"MIP_S_EXCHANGE":                     "MIPExchangeSolutions",
	"MICROSOFT_COMMUNICATION_COMPLIANCE": "M365CommunicationCompliance",
	"CONTENT_EXPLORER":                   "M365LabelAnalytics",
	"GRAPH_CONNECTORS_SEARCH_INDEX":      ServiceExchange,
	"INSIDER_RISK":                       "Office365InsiderRisk",
	"INSIDER_RISK_MANAGEMENT":            ServiceExchange,
	"MTP":                                "MicrosoftThreatProtection",
	"MICROSOFT_SEARCH":                   "Bing",
	"SWAY":                               "Sway",
	"EXCEL_PREMIUM":                      ServiceOffice,
	"OFFICESUBSCRIPTION":                 ServiceOffice,
	"PROJECTWORKMANAGEMENT":              "ProjectWorkManagement",
	"DESKLESS":                           "Deskless",
	"ATA":                                "AzureAdvancedThreatAnalytics",
	"WINDEFATP":                          ServiceDefenderEP,
	"MICROSOFTBOOKINGS":                  ServiceExchange,
	"RECORDS_MANAGEMENT":                 ServiceExchange,
	"ML_CLASSIFICATION":                  ServiceExchange,
	"INFO_GOVERNANCE":                    ServiceExchange,
	"DATA_INVESTIGATIONS":                ServiceExchange,
	"CUSTOMER_KEY":                       ServiceExchange,
	"COMMUNICATIONS_DLP":                 ServiceExchange,
	"COMMUNICATIONS_COMPLIANCE":          ServiceExchange,
	"SAFEDOCS":                           ServiceExchange,
	"M365_ADVANCED_AUDITING":             ServiceExchange,
	"PAM_ENTERPRISE":                     ServiceExchange,
	"THREAT_INTELLIGENCE":                ServiceExchange,
	"EQUIVIO_ANALYTICS":                  ServiceExchange,
	"LOCKBOX_ENTERPRISE":                 ServiceExchange,
}

// servicePrefixes maps a service plan name prefix (upper-cased) to its
// assignedPlan.service value; the longest matching prefix wins. Each prefix
// generalises plan names whose service was seen in Graph responses (for
// example EXCHANGE_S_ENTERPRISE → exchange, INTUNE_A → SCO, FLOW_O365_P3 →
// ProcessSimple, STREAM_O365_E5 → MicrosoftStream).
var servicePrefixes = []struct{ prefix, service string }{
	{"EXCHANGE_", ServiceExchange},
	{"ATP_", ServiceExchange},
	{"MIP_S_CLP", ServiceExchange},
	{"SHAREPOINT", ServiceSharePoint},
	{"ONEDRIVE", ServiceSharePoint},
	{"OFFICE_BUSINESS", ServiceOffice},
	{"OFFICEMOBILE_SUBSCRIPTION", ServiceOffice},
	{"MCO", ServiceSkype},
	{"TEAMS", ServiceTeams},
	{"AAD_PREMIUM", ServiceEntraPremium},
	{"MFA_", ServiceMFA},
	{"INTUNE_", ServiceIntune},
	{"RMS_S_", ServiceRMS},
	{"FLOW_", ServicePowerAutomate},
	{"POWERAPPS_", ServicePowerApps},
	{"ADALLOM_", ServiceCloudAppSec},
	{"MDE_", ServiceDefenderEP},
	{"YAMMER_", "YammerEnterprise"},
	{"STREAM_", "MicrosoftStream"},
	{"FORMS_PLAN_", "OfficeForms"},
	{"WHITEBOARD_", "WhiteboardServices"},
	{"BI_AZURE_", "PowerBI"},
	{"BPOS_S_TODO", "To-Do"},
	{"CDS_", "CRM"},
	{"DYN365_CDS_", "CRM"},
	{"PROJECT_O365_", "ProjectProgramsAndPortfolios"},
	{"POWER_VIRTUAL_AGENTS_", "ccibotsprod"},
}

// ServiceFor returns the assignedPlan.service value for a service plan name:
// first an exact (case-insensitive) entry of the table of names seen in Graph
// responses, then the longest matching prefix of the prefix table (EXCHANGE_
// → "exchange", SHAREPOINT → "SharePoint", MCO → "MicrosoftCommunicationsOnline",
// TEAMS → "TeamspaceAPI", INTUNE_ → "SCO", FLOW_ → "ProcessSimple", …).
// A name neither table knows reports the plan name itself: it is stable,
// unique per workload and readable, where any guessed workload would be
// wrong for most plans.
func ServiceFor(planName string) string {
	up := strings.ToUpper(planName)
	if s, ok := serviceByName[up]; ok {
		return s
	}
	best, bestLen := "", 0
	for _, p := range servicePrefixes {
		if len(p.prefix) > bestLen && strings.HasPrefix(up, p.prefix) {
			best, bestLen = p.service, len(p.prefix)
		}
	}
	if best != "" {
		return best
	}
	return planName
}

// Values of servicePlanInfo.appliesTo.
const (
	AppliesToUser    = "User"
	AppliesToCompany = "Company"
)

// companyPlans are service plan names (upper-cased) Graph reports with
// appliesTo "Company": tenant-level capabilities, seen in Graph v1.0
// licenseDetails responses.
var companyPlans = map[string]bool{
	"ATP_ENTERPRISE":   true,
	"CONTENT_EXPLORER": true,
	"INTUNE_O365":      true,
	"MICROSOFT_SEARCH": true,
	"NUCLEUS":          true,
}

// AppliesToFor returns servicePlanInfo.appliesTo for a service plan name
// (compared case-insensitively): "Company" for the tenant-level plans seen
// with that value in Graph responses (ATP_ENTERPRISE, Content_Explorer,
// INTUNE_O365, MICROSOFT_SEARCH, Nucleus) and for names ending in _COMPANY;
// "User" for every other plan.
func AppliesToFor(planName string) string {
	up := strings.ToUpper(planName)
	if companyPlans[up] || strings.HasSuffix(up, "_COMPANY") {
		return AppliesToCompany
	}
	return AppliesToUser
}
