package catalog

import (
	"regexp"
	"slices"
	"testing"
)

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// subscriptionPlans is the full plan list of each default subscription, as
// licensing-service-plans.csv publishes it.
var subscriptionPlans = map[string][]string{
	"ENTERPRISEPACK": {
		"041fe683-03e4-45b6-b1af-c0cdc516daee", // POWER_VIRTUAL_AGENTS_O365_P2
		"0d0c0d31-fae7-41f2-b909-eaf4d7f26dba", // Bing_Chat_Enterprise
		"0feaeb32-d00e-4d66-bd5a-43b5b83db82c", // MCOSTANDARD
		"199a5c09-e0ca-4e37-8f7c-b05d533e1ea2", // MICROSOFTBOOKINGS
		"2789c901-c14e-48ab-a76a-be334d9d793a", // FORMS_PLAN_E3
		"2b815d45-56e4-4e3a-b65c-66cb9175b560", // ContentExplorer_Standard
		"31b4e2fc-4cd6-4e7d-9c1b-41407303bd66", // PROJECT_O365_P2
		"33c4f319-9bdd-48d6-9c4d-410b750a4a5a", // MYANALYTICS_P2
		"3efbd4ed-8958-4824-8389-1321f8730af8", // MESH_AVATARS_ADDITIONAL_FOR_TEAMS
		"43de0ff5-c92c-492b-9116-175376d08c38", // OFFICESUBSCRIPTION
		"4ff01e01-1ba7-4d71-8cf8-ce96c3bbcf14", // DYN365_CDS_O365_P2
		"5136a095-5cf0-4aff-bec3-e84448b38ea5", // MIP_S_CLP1
		"57ff2da0-773e-42df-b2af-ffb7a2317929", // TEAMS1
		"5dbe027f-2339-4123-9542-606e4d348a72", // SHAREPOINTENTERPRISE
		"6f23d6a9-adbf-481c-8538-b4c095654487", // M365_LIGHTHOUSE_CUSTOMER_PLAN1
		"7547a3fe-08ee-4ccb-b430-5077c5041653", // YAMMER_ENTERPRISE
		"76846ad7-7776-4c40-a281-a386362dd1b9", // FLOW_O365_P2
		"882e1d05-acd1-4ccb-8708-6ee03664b117", // INTUNE_O365
		"8c7d2df8-86f0-4902-b2ed-a0458298f3b3", // Deskless
		"94065c59-bc8e-4e8b-89e5-5138d471eaff", // MICROSOFT_SEARCH
		"94a54592-cd8b-425e-87c6-97868b000b91", // WHITEBOARD_PLAN2
		"95b76021-6a53-4741-ab8b-1d1f3d66a95a", // CDS_O365_P2
		"9e700747-8b1d-45e5-ab8d-ef187ceec156", // STREAM_O365_E3
		"a23b959c-7ce8-4e57-9140-b90eb88a9e97", // SWAY
		"a82fbf69-b4d7-49f4-83a6-915b2cf354f4", // VIVAENGAGE_CORE
		"aebd3021-9f8f-4bf8-bbe3-0ed2f4f047a1", // KAIZALA_O365_P3
		"b737dad2-2f6c-4c65-90e3-ca563267e8b9", // PROJECTWORKMANAGEMENT
		"b76fb638-6ba6-402a-b9f9-83d28acb3d86", // VIVA_LEARNING_SEEDED
		"bea4c11e-220a-4e6d-8eb8-8ea15d019f90", // RMS_S_ENTERPRISE
		"c68f8d98-5534-41c8-bf36-22fa496fa792", // POWERAPPS_O365_P2
		"c87f142c-d1e9-4363-8630-aaea9c4d9ae5", // BPOS_S_TODO_2
		"db4d623d-b514-490b-b7ef-8885eee514de", // Nucleus
		"dcf9d2f4-772e-4434-b757-77a453cfbc02", // MESH_AVATARS_FOR_TEAMS
		"e95bec33-7c88-4a70-8e19-b10bd9d0c014", // SHAREPOINTWAC
		"efb87545-963c-4e0d-99df-69c6916d9eb0", // EXCHANGE_S_ENTERPRISE
		"f0ff6ac6-297d-49cd-be34-6dfef97f0c28", // MESH_IMMERSIVE_FOR_TEAMS
	},
	"ENTERPRISEPREMIUM": {
		"07699545-9485-468e-95b6-2fca3738be01", // FLOW_O365_P3
		"0898bdbb-73b0-471a-81e5-20f1fe4dd66e", // KAIZALA_STANDALONE
		"0feaeb32-d00e-4d66-bd5a-43b5b83db82c", // MCOSTANDARD
		"199a5c09-e0ca-4e37-8f7c-b05d533e1ea2", // MICROSOFTBOOKINGS
		"28b0fa46-c39a-4188-89e2-58e979a6b014", // DYN365_CDS_O365_P3
		"2b815d45-56e4-4e3a-b65c-66cb9175b560", // ContentExplorer_Standard
		"2f442157-a11c-46b9-ae5b-6e39ff4e5849", // M365_ADVANCED_AUDITING
		"33c4f319-9bdd-48d6-9c4d-410b750a4a5a", // MYANALYTICS_P2
		"34c0d7a0-a70f-4668-9238-47f9fc208882", // EXCHANGE_ANALYTICS
		"3e26ee1f-8a5f-4d52-aee2-b81ce45c8f40", // MCOMEETADV
		"3fb82609-8c27-4f7b-bd51-30634711ee67", // BPOS_S_TODO_3
		"41fcdd7d-4733-4863-9cf4-c65b83ce2df4", // COMMUNICATIONS_COMPLIANCE
		"43de0ff5-c92c-492b-9116-175376d08c38", // OFFICESUBSCRIPTION
		"46129a58-a698-46f0-aa5b-17f6586297d9", // DATA_INVESTIGATIONS
		"4828c8ec-dc2e-4779-b502-87ac9ce28ab7", // MCOEV
		"4a51bca5-1eff-43f5-878c-177680f191af", // WHITEBOARD_PLAN3
		"4de31727-a228-4ec3-a5bf-8e45b5ca48cc", // EQUIVIO_ANALYTICS
		"5136a095-5cf0-4aff-bec3-e84448b38ea5", // MIP_S_CLP1
		"531ee2f8-b1cb-453b-9c21-d2180d014ca5", // EXCEL_PREMIUM
		"57ff2da0-773e-42df-b2af-ffb7a2317929", // TEAMS1
		"5dbe027f-2339-4123-9542-606e4d348a72", // SHAREPOINTENTERPRISE
		"617b097b-4b93-4ede-83de-5f075bb5fb2f", // PREMIUM_ENCRYPTION
		"65cc641f-cccd-4643-97e0-a17e3045e541", // RECORDS_MANAGEMENT
		"6c6042f5-6f01-4d67-b8c1-eb99d36eed3e", // STREAM_O365_E5
		"6db1f1db-2b46-403f-be40-e39395f08dbb", // CUSTOMER_KEY
		"6dc145d6-95dd-4191-b9c3-185575ee6f6b", // COMMUNICATIONS_DLP
		"70d33638-9c74-4d01-bfd3-562de28bd4ba", // BI_AZURE_P2
		"7547a3fe-08ee-4ccb-b430-5077c5041653", // YAMMER_ENTERPRISE
		"882e1d05-acd1-4ccb-8708-6ee03664b117", // INTUNE_O365
		"8c098270-9dd4-4350-9b30-ba4703f3b36b", // ADALLOM_S_O365
		"8c7d2df8-86f0-4902-b2ed-a0458298f3b3", // Deskless
		"8e0c0a52-6a6c-4d40-8370-dd62790dcd70", // THREAT_INTELLIGENCE
		"94065c59-bc8e-4e8b-89e5-5138d471eaff", // MICROSOFT_SEARCH
		"9c0dab89-a30c-4117-86e7-97bda240acd2", // POWERAPPS_O365_P3
		"9f431833-0334-42de-a7dc-70aa40db46db", // LOCKBOX_ENTERPRISE
		"a23b959c-7ce8-4e57-9140-b90eb88a9e97", // SWAY
		"a413a9ff-720c-4822-98ef-2f37c2a21f4c", // MICROSOFT_COMMUNICATION_COMPLIANCE
		"a6520331-d7d4-4276-95f5-15c0933bc757", // GRAPH_CONNECTORS_SEARCH_INDEX
		"a82fbf69-b4d7-49f4-83a6-915b2cf354f4", // VIVAENGAGE_CORE
		"afa73018-811e-46e9-988f-f75d2b1b8430", // CDS_O365_P3
		"b1188c4c-1b36-4018-b48b-ee07604f6feb", // PAM_ENTERPRISE
		"b21a6b06-1988-436e-a07b-51ec6d9f52ad", // PROJECT_O365_P3
		"b737dad2-2f6c-4c65-90e3-ca563267e8b9", // PROJECTWORKMANAGEMENT
		"b76fb638-6ba6-402a-b9f9-83d28acb3d86", // VIVA_LEARNING_SEEDED
		"bea4c11e-220a-4e6d-8eb8-8ea15d019f90", // RMS_S_ENTERPRISE
		"bf28f719-7844-4079-9c78-c1307898e192", // MTP
		"c4801e8a-cb58-4c35-aca6-f2dcc106f287", // INFORMATION_BARRIERS
		"cd31b152-6326-4d1b-ae1b-997b625182e6", // MIP_S_Exchange
		"d9fa6af4-e046-4c89-9226-729a0786685d", // Content_Explorer
		"ded3d325-1bdc-453e-8432-5bac26d7a014", // POWER_VIRTUAL_AGENTS_O365_P3
		"e212cbc7-0961-4c40-9825-01117710dcb1", // FORMS_PLAN_E5
		"e26c2fcc-ab91-4a61-b35c-03cdc8dddf66", // INFO_GOVERNANCE
		"e95bec33-7c88-4a70-8e19-b10bd9d0c014", // SHAREPOINTWAC
		"efb0351d-3b08-4503-993d-383af8de41e3", // MIP_S_CLP2
		"efb87545-963c-4e0d-99df-69c6916d9eb0", // EXCHANGE_S_ENTERPRISE
		"f20fedf3-f3c3-43c3-8267-2bfdd51c0939", // ATP_ENTERPRISE
	},
	"EMS": {
		"113feb6c-3fe4-4440-bddc-54d774bf0318", // EXCHANGE_S_FOUNDATION
		"41781fb2-bc02-4b7c-bd55-b576c07bb09d", // AAD_PREMIUM
		"6c57d4b6-3b23-47a5-9bc9-69f17b4947b3", // RMS_S_PREMIUM
		"8a256a2b-b617-496d-b51b-e76466e88db0", // MFA_PREMIUM
		"932ad362-64a8-4783-9106-97849a1a30b9", // ADALLOM_S_DISCOVERY
		"bea4c11e-220a-4e6d-8eb8-8ea15d019f90", // RMS_S_ENTERPRISE
		"c1ec4a95-1f05-45b3-a911-aa3fa01094f5", // INTUNE_A
	},
	"EMSPREMIUM": {
		"113feb6c-3fe4-4440-bddc-54d774bf0318", // EXCHANGE_S_FOUNDATION
		"14ab5db5-e6c4-4b20-b4bc-13e36fd2227f", // ATA
		"2e2ddb96-6af9-4b1d-a3f0-d6ecfd22edb2", // ADALLOM_S_STANDALONE
		"41781fb2-bc02-4b7c-bd55-b576c07bb09d", // AAD_PREMIUM
		"5689bec4-755d-4753-8b61-40975025187c", // RMS_S_PREMIUM2
		"6c57d4b6-3b23-47a5-9bc9-69f17b4947b3", // RMS_S_PREMIUM
		"8a256a2b-b617-496d-b51b-e76466e88db0", // MFA_PREMIUM
		"bea4c11e-220a-4e6d-8eb8-8ea15d019f90", // RMS_S_ENTERPRISE
		"c1ec4a95-1f05-45b3-a911-aa3fa01094f5", // INTUNE_A
		"eec0eb4f-6444-4f95-aba0-50c24d67f998", // AAD_PREMIUM_P2
	},
	"SPE_E3": {
		"041fe683-03e4-45b6-b1af-c0cdc516daee", // POWER_VIRTUAL_AGENTS_O365_P2
		"0d0c0d31-fae7-41f2-b909-eaf4d7f26dba", // Bing_Chat_Enterprise
		"0feaeb32-d00e-4d66-bd5a-43b5b83db82c", // MCOSTANDARD
		"199a5c09-e0ca-4e37-8f7c-b05d533e1ea2", // MICROSOFTBOOKINGS
		"21b439ba-a0ca-424f-a6cc-52f954a5b111", // WIN10_PRO_ENT_SUB
		"2789c901-c14e-48ab-a76a-be334d9d793a", // FORMS_PLAN_E3
		"292cc034-7b7c-4950-aaf5-943befd3f1d4", // MDE_LITE
		"2b815d45-56e4-4e3a-b65c-66cb9175b560", // ContentExplorer_Standard
		"31b4e2fc-4cd6-4e7d-9c1b-41407303bd66", // PROJECT_O365_P2
		"33c4f319-9bdd-48d6-9c4d-410b750a4a5a", // MYANALYTICS_P2
		"3efbd4ed-8958-4824-8389-1321f8730af8", // MESH_AVATARS_ADDITIONAL_FOR_TEAMS
		"41781fb2-bc02-4b7c-bd55-b576c07bb09d", // AAD_PREMIUM
		"43de0ff5-c92c-492b-9116-175376d08c38", // OFFICESUBSCRIPTION
		"4ff01e01-1ba7-4d71-8cf8-ce96c3bbcf14", // DYN365_CDS_O365_P2
		"5136a095-5cf0-4aff-bec3-e84448b38ea5", // MIP_S_CLP1
		"57ff2da0-773e-42df-b2af-ffb7a2317929", // TEAMS1
		"5dbe027f-2339-4123-9542-606e4d348a72", // SHAREPOINTENTERPRISE
		"6c57d4b6-3b23-47a5-9bc9-69f17b4947b3", // RMS_S_PREMIUM
		"6f23d6a9-adbf-481c-8538-b4c095654487", // M365_LIGHTHOUSE_CUSTOMER_PLAN1
		"7547a3fe-08ee-4ccb-b430-5077c5041653", // YAMMER_ENTERPRISE
		"76846ad7-7776-4c40-a281-a386362dd1b9", // FLOW_O365_P2
		"795f6fe0-cc4d-4773-b050-5dde4dc704c9", // UNIVERSAL_PRINT_01
		"7bf960f6-2cd9-443a-8046-5dbff9558365", // WINDOWSUPDATEFORBUSINESS_DEPLOYMENTSERVICE
		"882e1d05-acd1-4ccb-8708-6ee03664b117", // INTUNE_O365
		"8a256a2b-b617-496d-b51b-e76466e88db0", // MFA_PREMIUM
		"8c7d2df8-86f0-4902-b2ed-a0458298f3b3", // Deskless
		"932ad362-64a8-4783-9106-97849a1a30b9", // ADALLOM_S_DISCOVERY
		"94065c59-bc8e-4e8b-89e5-5138d471eaff", // MICROSOFT_SEARCH
		"94a54592-cd8b-425e-87c6-97868b000b91", // WHITEBOARD_PLAN2
		"95b76021-6a53-4741-ab8b-1d1f3d66a95a", // CDS_O365_P2
		"9a6eeb79-0b4b-4bf0-9808-39d99a2cd5a3", // Windows_Autopatch
		"9e700747-8b1d-45e5-ab8d-ef187ceec156", // STREAM_O365_E3
		"a1ace008-72f3-4ea0-8dac-33b3a23a2472", // CLIPCHAMP
		"a23b959c-7ce8-4e57-9140-b90eb88a9e97", // SWAY
		"a6520331-d7d4-4276-95f5-15c0933bc757", // GRAPH_CONNECTORS_SEARCH_INDEX
		"a82fbf69-b4d7-49f4-83a6-915b2cf354f4", // VIVAENGAGE_CORE
		"aebd3021-9f8f-4bf8-bbe3-0ed2f4f047a1", // KAIZALA_O365_P3
		"b737dad2-2f6c-4c65-90e3-ca563267e8b9", // PROJECTWORKMANAGEMENT
		"b76fb638-6ba6-402a-b9f9-83d28acb3d86", // VIVA_LEARNING_SEEDED
		"bea4c11e-220a-4e6d-8eb8-8ea15d019f90", // RMS_S_ENTERPRISE
		"c1ec4a95-1f05-45b3-a911-aa3fa01094f5", // INTUNE_A
		"c4b8c31a-fb44-4c65-9837-a21f55fcabda", // MICROSOFT_LOOP
		"c68f8d98-5534-41c8-bf36-22fa496fa792", // POWERAPPS_O365_P2
		"c87f142c-d1e9-4363-8630-aaea9c4d9ae5", // BPOS_S_TODO_2
		"d55411c9-cfff-40a9-87c7-240f14df7da5", // M365_LIGHTHOUSE_PARTNER_PLAN1
		"db4d623d-b514-490b-b7ef-8885eee514de", // Nucleus
		"dcf9d2f4-772e-4434-b757-77a453cfbc02", // MESH_AVATARS_FOR_TEAMS
		"e95bec33-7c88-4a70-8e19-b10bd9d0c014", // SHAREPOINTWAC
		"efb87545-963c-4e0d-99df-69c6916d9eb0", // EXCHANGE_S_ENTERPRISE
		"f0ff6ac6-297d-49cd-be34-6dfef97f0c28", // MESH_IMMERSIVE_FOR_TEAMS
	},
	"AAD_PREMIUM": {
		"113feb6c-3fe4-4440-bddc-54d774bf0318", // EXCHANGE_S_FOUNDATION
		"41781fb2-bc02-4b7c-bd55-b576c07bb09d", // AAD_PREMIUM
		"8a256a2b-b617-496d-b51b-e76466e88db0", // MFA_PREMIUM
		"932ad362-64a8-4783-9106-97849a1a30b9", // ADALLOM_S_DISCOVERY
	},
	"AAD_PREMIUM_P2": {
		"113feb6c-3fe4-4440-bddc-54d774bf0318", // EXCHANGE_S_FOUNDATION
		"41781fb2-bc02-4b7c-bd55-b576c07bb09d", // AAD_PREMIUM
		"8a256a2b-b617-496d-b51b-e76466e88db0", // MFA_PREMIUM
		"932ad362-64a8-4783-9106-97849a1a30b9", // ADALLOM_S_DISCOVERY
		"eec0eb4f-6444-4f95-aba0-50c24d67f998", // AAD_PREMIUM_P2
	},
	"POWER_BI_PRO": {
		"113feb6c-3fe4-4440-bddc-54d774bf0318", // EXCHANGE_S_FOUNDATION
		"70d33638-9c74-4d01-bfd3-562de28bd4ba", // BI_AZURE_P2
	},
	"FLOW_FREE": {
		"113feb6c-3fe4-4440-bddc-54d774bf0318", // EXCHANGE_S_FOUNDATION
		"17ab22cd-a0b3-4536-910a-cb6eb12696c0", // DYN365_CDS_VIRAL
		"50e68c76-46c6-4674-81f9-75456511b170", // FLOW_P2_VIRAL
	},
}

func planIDs(p Product) []string {
	ids := make([]string, len(p.ServicePlans))
	for i, sp := range p.ServicePlans {
		ids[i] = sp.ServicePlanID
	}
	return ids
}

func TestProductsInvariants(t *testing.T) {
	t.Parallel()
	ps := Products()
	if got, want := len(ps), 610; got != want {
		t.Fatalf("len(Products()) = %d, want %d", got, want)
	}
	if got, want := len(Plans()), 771; got != want {
		t.Fatalf("len(Plans()) = %d, want %d", got, want)
	}
	seen := map[string]bool{}
	for i, p := range ps {
		if i > 0 {
			prev := ps[i-1]
			if prev.SkuPartNumber > p.SkuPartNumber || prev.SkuPartNumber == p.SkuPartNumber && prev.SkuID >= p.SkuID {
				t.Errorf("products not sorted: %s/%s before %s/%s", prev.SkuPartNumber, prev.SkuID, p.SkuPartNumber, p.SkuID)
			}
		}
		if !guidRE.MatchString(p.SkuID) {
			t.Errorf("%s: skuId %q is not a lower-case GUID", p.SkuPartNumber, p.SkuID)
		}
		if seen[p.SkuID] {
			t.Errorf("skuId %s listed twice", p.SkuID)
		}
		seen[p.SkuID] = true
		if p.SkuPartNumber == "" || p.DisplayName == "" || len(p.ServicePlans) == 0 {
			t.Errorf("%s: incomplete product %+v", p.SkuID, p)
		}
		ids := planIDs(p)
		if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Errorf("%s: plans not sorted and unique: %v", p.SkuPartNumber, ids)
		}
		for _, sp := range p.ServicePlans {
			got, ok := PlanByID(sp.ServicePlanID)
			if !ok || got != sp {
				t.Errorf("%s: plan %+v; PlanByID = %+v, %v", p.SkuPartNumber, sp, got, ok)
			}
			if !guidRE.MatchString(sp.ServicePlanID) || sp.ServicePlanName == "" || sp.FriendlyName == "" || sp.Service == "" {
				t.Errorf("%s: incomplete plan %+v", p.SkuPartNumber, sp)
			}
			if sp.AppliesTo != AppliesToUser && sp.AppliesTo != AppliesToCompany {
				t.Errorf("%s: plan %s appliesTo %q", p.SkuPartNumber, sp.ServicePlanName, sp.AppliesTo)
			}
		}
		if got, ok := BySkuID(p.SkuID); !ok || got.SkuPartNumber != p.SkuPartNumber || !slices.Equal(planIDs(got), ids) {
			t.Errorf("BySkuID(%s) = %+v, %v", p.SkuID, got, ok)
		}
	}
}

func TestProductsReturnsCopies(t *testing.T) {
	t.Parallel()
	ps := Products()
	ps[0].SkuPartNumber = "CHANGED"
	ps[0].ServicePlans[0].ServicePlanName = "CHANGED"
	p, _ := BySkuID(ps[0].SkuID)
	p.ServicePlans[0].FriendlyName = "CHANGED"
	again := Products()
	if again[0].SkuPartNumber == "CHANGED" || again[0].ServicePlans[0].ServicePlanName == "CHANGED" ||
		again[0].ServicePlans[0].FriendlyName == "CHANGED" {
		t.Fatalf("catalogue changed through a returned copy: %+v", again[0])
	}
}

func TestBySkuID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, id, part, display string
		plans                   int
		ok                      bool
	}{
		{"Office 365 E3", "6fd2c87f-b296-42f0-b197-1e91e994b900", "ENTERPRISEPACK", "Office 365 E3", 36, true},
		{"Office 365 E5", "c7df2760-2c81-4ef7-b578-5b5392b571df", "ENTERPRISEPREMIUM", "Office 365 E5", 56, true},
		{"EMS E3", "efccb6f7-5641-4e0e-bd10-b4976e1bf68e", "EMS", "Enterprise Mobility + Security E3", 7, true},
		{"Entra ID P1", "078d2b04-f1bd-4111-bbd4-b4b1b354cef4", "AAD_PREMIUM", "Microsoft Entra ID P1", 4, true},
		{"Entra ID P2", "84a661c4-e949-4bd2-a560-ed7766fcaf2b", "AAD_PREMIUM_P2", "Microsoft Entra ID P2", 5, true},
		{"upper case", "6FD2C87F-B296-42F0-B197-1E91E994B900", "ENTERPRISEPACK", "Office 365 E3", 36, true},
		{"braces", "{6fd2c87f-b296-42f0-b197-1e91e994b900}", "ENTERPRISEPACK", "Office 365 E3", 36, true},
		{"quoted display name", "977464c4-bfaf-4b67-b761-a9bb735a2196", "CRM_AUTO_ROUTING_ADDON",
			"Dynamics 365 Field Service, Enterprise Edition - Resource Scheduling Optimization", 3, true},
		{"MCOPSTN5 first", "54a152dc-90de-4996-93d2-bc47e670fc06", "MCOPSTN5", "Skype for Business PSTN Domestic Calling (120 Minutes)", 1, true},
		{"MCOPSTN5 second", "d43177b5-475b-4880-92d4-d54c27b5efbd", "MCOPSTN5", "Skype for Business PSTN Calling Domestic Small", 1, true},
		{"unknown", "00000000-0000-0000-0000-000000000000", "", "", 0, false},
		{"empty", "", "", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, ok := BySkuID(tt.id)
			if ok != tt.ok || p.SkuPartNumber != tt.part || p.DisplayName != tt.display || len(p.ServicePlans) != tt.plans {
				t.Fatalf("BySkuID(%q) = %s %q %d plans, %v; want %s %q %d plans, %v",
					tt.id, p.SkuPartNumber, p.DisplayName, len(p.ServicePlans), ok, tt.part, tt.display, tt.plans, tt.ok)
			}
		})
	}
}

func TestByPartNumber(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, part, skuID string }{
		{"exact", "ENTERPRISEPACK", "6fd2c87f-b296-42f0-b197-1e91e994b900"},
		{"case-insensitive", "enterprisepack", "6fd2c87f-b296-42f0-b197-1e91e994b900"},
		{"Microsoft 365 E3", "SPE_E3", "05e9a617-0261-4cee-bb44-138d3ef5d965"},
		{"shared part number gives lowest skuId", "MCOPSTN5", "54a152dc-90de-4996-93d2-bc47e670fc06"},
		{"spaces in part number", "Microsoft 365 A3 Suite features for faculty", "32a0e471-8a27-4167-b24f-941559912425"},
		{"unknown", "NOT_A_SKU", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, ok := ByPartNumber(tt.part)
			if ok != (tt.skuID != "") || p.SkuID != tt.skuID {
				t.Fatalf("ByPartNumber(%q) = %s, %v; want %q", tt.part, p.SkuID, ok, tt.skuID)
			}
		})
	}
}

func TestPlanByID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, id string
		want     ServicePlan
	}{
		{"Exchange Online Plan 2", "efb87545-963c-4e0d-99df-69c6916d9eb0",
			ServicePlan{"efb87545-963c-4e0d-99df-69c6916d9eb0", "EXCHANGE_S_ENTERPRISE", "Exchange Online (Plan 2)", "exchange", "User"}},
		{"SharePoint Plan 2", "5dbe027f-2339-4123-9542-606e4d348a72",
			ServicePlan{"5dbe027f-2339-4123-9542-606e4d348a72", "SHAREPOINTENTERPRISE", "SharePoint (Plan 2)", "SharePoint", "User"}},
		{"upper case id", "EFB87545-963C-4E0D-99DF-69C6916D9EB0",
			ServicePlan{"efb87545-963c-4e0d-99df-69c6916d9eb0", "EXCHANGE_S_ENTERPRISE", "Exchange Online (Plan 2)", "exchange", "User"}},
		{"majority name over a malformed cell", "113feb6c-3fe4-4440-bddc-54d774bf0318",
			ServicePlan{"113feb6c-3fe4-4440-bddc-54d774bf0318", "EXCHANGE_S_FOUNDATION", "Exchange Foundation", "exchange", "User"}},
		{"majority name over a typo", "bea4c11e-220a-4e6d-8eb8-8ea15d019f90",
			ServicePlan{"bea4c11e-220a-4e6d-8eb8-8ea15d019f90", "RMS_S_ENTERPRISE", "Azure Rights Management", "RMSOnline", "User"}},
		{"repaired name", "a64b30ba-f310-4065-b444-2670ef146db0",
			ServicePlan{"a64b30ba-f310-4065-b444-2670ef146db0", "PBI_PREMIUM_EM1_ADDON", "Power BI Premium EM1", "PBI_PREMIUM_EM1_ADDON", "User"}},
		{"tabs collapsed", "e7c91390-7625-45be-94e0-e16907e03118",
			ServicePlan{"e7c91390-7625-45be-94e0-e16907e03118", "Virtualization Rights for Windows 10 (E3/E5+VDA)", "Windows 10/11 Enterprise", "Virtualization Rights for Windows 10 (E3/E5+VDA)", "User"}},
		{"Teams", "57ff2da0-773e-42df-b2af-ffb7a2317929",
			ServicePlan{"57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1", "Microsoft Teams", "TeamspaceAPI", "User"}},
		{"Entra ID P1", "41781fb2-bc02-4b7c-bd55-b576c07bb09d",
			ServicePlan{"41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AAD_PREMIUM", "Microsoft Entra ID P1", "AADPremiumService", "User"}},
		{"tenant-level plan", "f20fedf3-f3c3-43c3-8267-2bfdd51c0939",
			ServicePlan{"f20fedf3-f3c3-43c3-8267-2bfdd51c0939", "ATP_ENTERPRISE", "Microsoft Defender for Office 365 (Plan 1)", "exchange", "Company"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := PlanByID(tt.id)
			if !ok || got != tt.want {
				t.Fatalf("PlanByID(%q) = %+v, %v; want %+v", tt.id, got, ok, tt.want)
			}
		})
	}
	if _, ok := PlanByID("00000000-0000-0000-0000-000000000000"); ok {
		t.Error("PlanByID(unknown) found a plan")
	}
}

func TestDefaultSubscriptions(t *testing.T) {
	t.Parallel()
	subs := DefaultSubscriptions()
	if len(subs) != len(subscriptionPlans) {
		t.Fatalf("%d default subscriptions, want %d", len(subs), len(subscriptionPlans))
	}
	for _, s := range subs {
		t.Run(s.SkuPartNumber, func(t *testing.T) {
			t.Parallel()
			if s.PrepaidEnabled <= 0 {
				t.Errorf("PrepaidEnabled = %d", s.PrepaidEnabled)
			}
			p, ok := ByPartNumber(s.SkuPartNumber)
			if !ok || p.SkuPartNumber != s.SkuPartNumber {
				t.Fatalf("ByPartNumber(%q) = %+v, %v", s.SkuPartNumber, p, ok)
			}
			want, listed := subscriptionPlans[s.SkuPartNumber]
			if !listed {
				t.Fatalf("no expected plan list for %s", s.SkuPartNumber)
			}
			if got := planIDs(p); !slices.Equal(got, want) {
				t.Errorf("%s plans =\n%v\nwant\n%v", s.SkuPartNumber, got, want)
			}
		})
	}
	subs[0].PrepaidEnabled = -1
	if DefaultSubscriptions()[0].PrepaidEnabled == -1 {
		t.Error("DefaultSubscriptions shares its backing array")
	}
	if p, _ := ByPartNumber("FLOW_FREE"); subs[len(subs)-1].SkuPartNumber != "FLOW_FREE" || p.SkuID != "f30db892-07e9-47e9-837c-80727f46fd3d" {
		t.Errorf("FLOW_FREE = %s", p.SkuID)
	}
}
