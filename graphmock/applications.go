package graphmock

import (
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/graphmock/graphmock/engine"
)

// FixtureApplication is an app registration of a fixture (docs/auth.md): a client id, its
// credentials, and the Microsoft Graph permissions an administrator granted it.
type FixtureApplication struct {
	// ID is the application object id; generated when empty.
	ID string `json:"id,omitempty"`
	// AppID is the client id (GUID) used at the token endpoint.
	AppID       string `json:"appId"`
	DisplayName string `json:"displayName"`
	// ServicePrincipalID is the service principal's object id (the oid of app-only tokens and
	// initiatedBy.app.servicePrincipalId in audit records); generated when empty.
	ServicePrincipalID string `json:"servicePrincipalId,omitempty"`
	// PasswordCredentials are client secrets, given in clear (secretText).
	PasswordCredentials []FixturePasswordCredential `json:"passwordCredentials,omitempty"`
	// KeyCredentials are certificates for client assertions.
	KeyCredentials []FixtureKeyCredential `json:"keyCredentials,omitempty"`
	// ApplicationPermissions are granted Graph application permissions (the roles claim).
	ApplicationPermissions []string `json:"applicationPermissions,omitempty"`
	// DelegatedPermissions are consented Graph delegated permissions (the scp claim).
	DelegatedPermissions []string `json:"delegatedPermissions,omitempty"`
}

// FixturePasswordCredential is a client secret; times are ISO 8601, both optional.
type FixturePasswordCredential struct {
	KeyID         string     `json:"keyId,omitempty"`
	DisplayName   string     `json:"displayName,omitempty"`
	SecretText    string     `json:"secretText"`
	StartDateTime *time.Time `json:"startDateTime,omitempty"`
	EndDateTime   *time.Time `json:"endDateTime,omitempty"`
}

// FixtureKeyCredential is a certificate: key is a PEM certificate or base64 DER (as Graph's
// keyCredential.key carries it).
type FixtureKeyCredential struct {
	KeyID       string `json:"keyId,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	Key         string `json:"key"`
}

// engineApplication converts the fixture form. Errors: an empty secret or an undecodable key.
func (fa FixtureApplication) engineApplication() (*engine.Application, error) {
	a := &engine.Application{ID: fa.ID, AppID: fa.AppID, DisplayName: fa.DisplayName, ServicePrincipalID: fa.ServicePrincipalID,
		ApplicationPermissions: append([]string(nil), fa.ApplicationPermissions...),
		DelegatedPermissions:   append([]string(nil), fa.DelegatedPermissions...)}
	for i, pc := range fa.PasswordCredentials {
		if pc.SecretText == "" {
			return nil, fmt.Errorf("passwordCredentials[%d]: secretText is required", i)
		}
		c := engine.PasswordCredential{KeyID: pc.KeyID, DisplayName: pc.DisplayName, SecretText: pc.SecretText}
		if pc.StartDateTime != nil {
			c.StartDateTime = pc.StartDateTime.UTC()
		}
		if pc.EndDateTime != nil {
			c.EndDateTime = pc.EndDateTime.UTC()
		}
		a.PasswordCredentials = append(a.PasswordCredentials, c)
	}
	for i, kc := range fa.KeyCredentials {
		der, err := certificateDER(kc.Key)
		if err != nil {
			return nil, fmt.Errorf("keyCredentials[%d]: %w", i, err)
		}
		a.KeyCredentials = append(a.KeyCredentials, engine.KeyCredential{KeyID: kc.KeyID, DisplayName: kc.DisplayName, Key: der})
	}
	for _, p := range append(append([]string(nil), a.ApplicationPermissions...), a.DelegatedPermissions...) {
		if p == "" || strings.ContainsAny(p, " \t") {
			return nil, fmt.Errorf("permission %q: names have no spaces", p)
		}
	}
	return a, nil
}

// certificateDER reads a PEM certificate or base64 DER.
func certificateDER(key string) ([]byte, error) {
	key = strings.TrimSpace(key)
	if strings.HasPrefix(key, "-----BEGIN") {
		b, _ := pem.Decode([]byte(key))
		if b == nil || b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("key is not a PEM certificate")
		}
		return b.Bytes, nil
	}
	der, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(der) == 0 {
		return nil, fmt.Errorf("key is neither a PEM certificate nor base64 DER")
	}
	return der, nil
}

// loadApplications registers the fixture's applications (also for Empty tenants: without them
// no client could get a token).
func (fx *Fixture) loadApplications(tx *engine.Txn) error {
	for i, fa := range fx.Applications {
		a, err := fa.engineApplication()
		if err != nil {
			return fmt.Errorf("applications[%d]: %w", i, err)
		}
		if _, err := tx.PutApplication(a); err != nil {
			return fmt.Errorf("applications[%d]: %w", i, err)
		}
	}
	return nil
}

// AddApplication registers (or replaces, by appId) an application in the default tenant, e.g.
// one with a test certificate for client assertions. Errors: invalid ids, secrets or keys.
func (s *Server) AddApplication(app FixtureApplication) error {
	a, err := app.engineApplication()
	if err != nil {
		return fmt.Errorf("graphmock: application: %w", err)
	}
	return s.Store().Update(fixtureActor, func(tx *engine.Txn) error {
		_, err := tx.PutApplication(a)
		return err
	})
}

// tenantList returns every tenant the server holds, the default tenant first.
func (s *Server) tenantList() []*tenant {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []*tenant{s.tenants[s.defaultID]}
	for id, t := range s.tenants {
		if id != s.defaultID {
			out = append(out, t)
		}
	}
	return out
}

func (s *Server) defaultTenantRef() *tenant { return s.defaultTenant() }

// tenantByRef finds a tenant by id or verified domain name (case-insensitive); nil if none.
func (s *Server) tenantByRef(ref string) *tenant {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil
	}
	for _, t := range s.tenantList() {
		if strings.EqualFold(t.id, ref) {
			return t
		}
		if !engine.IsGUID(ref) {
			var match bool
			_ = t.store.View(func(tx *engine.Txn) error {
				org, err := tx.Organization()
				match = err == nil && org.HasDomain(ref)
				return nil
			})
			if match {
				return t
			}
		}
	}
	return nil
}

// application returns the tenant's application with that client id, or nil.
func (t *tenant) application(appID string) (*engine.Application, error) {
	var app *engine.Application
	err := t.store.View(func(tx *engine.Txn) error {
		var err error
		app, err = tx.ApplicationByAppID(strings.TrimSpace(appID))
		return err
	})
	return app, err
}

// displayName is the organization's name, as Entra names a directory in its errors.
func (t *tenant) displayName() string {
	name := t.id
	_ = t.store.View(func(tx *engine.Txn) error {
		if org, err := tx.Organization(); err == nil && org.DisplayName != "" {
			name = org.DisplayName
		}
		return nil
	})
	return name
}

// exportApplications renders the tenant's applications in fixture form (the inverse of
// loadApplications), for state exports: secrets in clear, certificates as base64 DER.
func exportApplications(tx *engine.Txn) ([]FixtureApplication, error) {
	var out []FixtureApplication
	err := tx.Applications(func(a *engine.Application) bool {
		fa := FixtureApplication{ID: a.ID, AppID: a.AppID, DisplayName: a.DisplayName, ServicePrincipalID: a.ServicePrincipalID,
			ApplicationPermissions: append([]string(nil), a.ApplicationPermissions...),
			DelegatedPermissions:   append([]string(nil), a.DelegatedPermissions...)}
		for _, pc := range a.PasswordCredentials {
			c := FixturePasswordCredential{KeyID: pc.KeyID, DisplayName: pc.DisplayName, SecretText: pc.SecretText}
			if !pc.StartDateTime.IsZero() {
				t := pc.StartDateTime
				c.StartDateTime = &t
			}
			if !pc.EndDateTime.IsZero() {
				t := pc.EndDateTime
				c.EndDateTime = &t
			}
			fa.PasswordCredentials = append(fa.PasswordCredentials, c)
		}
		for _, kc := range a.KeyCredentials {
			fa.KeyCredentials = append(fa.KeyCredentials, FixtureKeyCredential{KeyID: kc.KeyID, DisplayName: kc.DisplayName,
				Key: base64.StdEncoding.EncodeToString(kc.Key)})
		}
		out = append(out, fa)
		return true
	})
	return out, err
}
