package catalog

import (
	"strings"
	"testing"
)

func TestServiceFor(t *testing.T) {
	t.Parallel()
	tests := []struct{ plan, want string }{
		{"EXCHANGE_S_ENTERPRISE", "exchange"},
		{"EXCHANGE_S_STANDARD", "exchange"},
		{"EXCHANGE_S_FOUNDATION", "exchange"},
		{"ATP_ENTERPRISE", "exchange"},
		{"MIP_S_CLP1", "exchange"},
		{"MIP_S_Exchange", "MIPExchangeSolutions"},
		{"INSIDER_RISK", "Office365InsiderRisk"},
		{"INSIDER_RISK_MANAGEMENT", "exchange"},
		{"SHAREPOINTENTERPRISE", "SharePoint"},
		{"SHAREPOINTWAC", "SharePoint"},
		{"ONEDRIVE_BASIC", "SharePoint"},
		{"Nucleus", "SharePoint"},
		{"OFFICESUBSCRIPTION", "MicrosoftOffice"},
		{"OFFICE_BUSINESS", "MicrosoftOffice"},
		{"MCOSTANDARD", "MicrosoftCommunicationsOnline"},
		{"MCOMEETADV", "MicrosoftCommunicationsOnline"},
		{"MCOEV", "MicrosoftCommunicationsOnline"},
		{"TEAMS1", "TeamspaceAPI"},
		{"AAD_PREMIUM", "AADPremiumService"},
		{"AAD_PREMIUM_P2", "AADPremiumService"},
		{"MFA_PREMIUM", "MultiFactorService"},
		{"INTUNE_A", "SCO"},
		{"INTUNE_O365", "SCO"},
		{"RMS_S_ENTERPRISE", "RMSOnline"},
		{"RMS_S_PREMIUM2", "RMSOnline"},
		{"FLOW_O365_P3", "ProcessSimple"},
		{"FLOW_P2_VIRAL", "ProcessSimple"},
		{"POWERAPPS_O365_P3", "PowerAppsService"},
		{"ADALLOM_S_DISCOVERY", "Adallom"},
		{"WINDEFATP", "WindowsDefenderATP"},
		{"MDE_LITE", "WindowsDefenderATP"},
		{"YAMMER_ENTERPRISE", "YammerEnterprise"},
		{"BI_AZURE_P2", "PowerBI"},
		{"PROJECTWORKMANAGEMENT", "ProjectWorkManagement"},
		{"MICROSOFT_SEARCH", "Bing"},
		{"BPOS_S_TODO_2", "To-Do"},
		{"Deskless", "Deskless"},
		{"DYN365_CDS_O365_P3", "CRM"},
		{"exchange_s_enterprise", "exchange"},
		{"SOMETHING_NEW", "SOMETHING_NEW"},
	}
	for _, tt := range tests {
		t.Run(tt.plan, func(t *testing.T) {
			t.Parallel()
			if got := ServiceFor(tt.plan); got != tt.want {
				t.Fatalf("ServiceFor(%q) = %q, want %q", tt.plan, got, tt.want)
			}
		})
	}
}

func TestAppliesToFor(t *testing.T) {
	t.Parallel()
	tests := []struct{ plan, want string }{
		{"EXCHANGE_S_ENTERPRISE", "User"},
		{"ADALLOM_S_O365", "User"},
		{"ATP_ENTERPRISE", "Company"},
		{"MICROSOFT_SEARCH", "Company"},
		{"INTUNE_O365", "Company"},
		{"Nucleus", "Company"},
		{"Content_Explorer", "Company"},
		{"SOME_PLAN_COMPANY", "Company"},
		{"SOMETHING_NEW", "User"},
	}
	for _, tt := range tests {
		t.Run(tt.plan, func(t *testing.T) {
			t.Parallel()
			if got := AppliesToFor(tt.plan); got != tt.want {
				t.Fatalf("AppliesToFor(%q) = %q, want %q", tt.plan, got, tt.want)
			}
		})
	}
}

func TestServiceTablesAreUpperCase(t *testing.T) {
	t.Parallel()
	for name := range serviceByName {
		if name != strings.ToUpper(name) {
			t.Errorf("serviceByName key %q is not upper case", name)
		}
	}
	for _, p := range servicePrefixes {
		if p.prefix != strings.ToUpper(p.prefix) {
			t.Errorf("servicePrefixes prefix %q is not upper case", p.prefix)
		}
	}
	for name := range companyPlans {
		if name != strings.ToUpper(name) {
			t.Errorf("companyPlans key %q is not upper case", name)
		}
	}
}
