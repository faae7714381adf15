package engine

import (
	"fmt"
	"strings"
	"time"

	memdb "github.com/hashicorp/go-memdb"
)

// TableApplications holds the tenant's app registrations, keyed by appId (the client id).
const TableApplications = "applications"

func applicationsTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: TableApplications, Indexes: map[string]*memdb.IndexSchema{
		IndexID: {Name: IndexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "AppID", Lowercase: true}},
	}}
}

// Application is an app registration together with its service principal in this tenant: the
// client id and credentials the token endpoint checks, and the application permissions (app
// roles of Microsoft Graph) an administrator granted it.
type Application struct {
	// ID is the application object's id.
	ID string
	// AppID is the client id used at the token endpoint.
	AppID       string
	DisplayName string
	// ServicePrincipalID is the object id of the app's service principal in this tenant; it is
	// the oid of app-only tokens and initiatedBy.app.servicePrincipalId of audit records.
	ServicePrincipalID string
	// PasswordCredentials are the client secrets.
	PasswordCredentials []PasswordCredential
	// KeyCredentials are the certificates client assertions may be signed with.
	KeyCredentials []KeyCredential
	// ApplicationPermissions are the granted Microsoft Graph application permissions
	// ("User.Read.All"…), issued as the roles claim of app-only tokens.
	ApplicationPermissions []string
	// DelegatedPermissions are the consented Microsoft Graph delegated permissions, issued as
	// the scp claim of tokens that act for a user.
	DelegatedPermissions []string
}

// PasswordCredential is a client secret. SecretText is kept in clear: graphmock's tenants are
// test fixtures.
type PasswordCredential struct {
	KeyID         string
	DisplayName   string
	SecretText    string
	StartDateTime time.Time // zero = always valid from the start
	EndDateTime   time.Time // zero = never expires
}

// KeyCredential is a certificate (DER) registered for client assertions.
type KeyCredential struct {
	KeyID       string
	DisplayName string
	Key         []byte
}

// Clone returns a deep copy.
func (a *Application) Clone() *Application {
	c := *a
	c.PasswordCredentials = append([]PasswordCredential(nil), a.PasswordCredentials...)
	c.KeyCredentials = make([]KeyCredential, len(a.KeyCredentials))
	for i, k := range a.KeyCredentials {
		k.Key = append([]byte(nil), k.Key...)
		c.KeyCredentials[i] = k
	}
	c.ApplicationPermissions = append([]string(nil), a.ApplicationPermissions...)
	c.DelegatedPermissions = append([]string(nil), a.DelegatedPermissions...)
	return &c
}

// PutApplication registers or replaces an application (keyed by appId). Missing object ids and
// credential key ids are generated. Errors: appId or given ids that are not GUIDs, an empty
// displayName.
func (tx *Txn) PutApplication(a *Application) (*Application, error) {
	c := a.Clone()
	c.AppID = strings.ToLower(strings.TrimSpace(c.AppID))
	if !IsGUID(c.AppID) {
		return nil, BadRequest("Invalid value specified for property 'appId' of resource 'Application'.")
	}
	if strings.TrimSpace(c.DisplayName) == "" {
		return nil, MissingValue("displayName")
	}
	for _, f := range []*string{&c.ID, &c.ServicePrincipalID} {
		if *f == "" {
			*f = tx.NewID()
		}
		if !IsGUID(*f) {
			return nil, BadRequest("Invalid value specified for property 'id' of resource 'Application'.")
		}
		*f = strings.ToLower(*f)
	}
	for i := range c.PasswordCredentials {
		if c.PasswordCredentials[i].KeyID == "" {
			c.PasswordCredentials[i].KeyID = tx.NewID()
		}
	}
	for i := range c.KeyCredentials {
		if c.KeyCredentials[i].KeyID == "" {
			c.KeyCredentials[i].KeyID = tx.NewID()
		}
	}
	if err := tx.insert(TableApplications, c); err != nil {
		return nil, fmt.Errorf("engine: application %s: %w", c.AppID, err)
	}
	return c, nil
}

// ApplicationByAppID returns the application with that client id (case-insensitive), or nil.
func (tx *Txn) ApplicationByAppID(appID string) (*Application, error) {
	raw, err := tx.first(TableApplications, IndexID, strings.ToLower(appID))
	if err != nil || raw == nil {
		return nil, err
	}
	return raw.(*Application), nil
}

// Applications calls fn for each application in appId order until fn returns false.
func (tx *Txn) Applications(fn func(*Application) bool) error {
	return tx.each(TableApplications, IndexID, func(raw any) bool { return fn(raw.(*Application)) })
}
