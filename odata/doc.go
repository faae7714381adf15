// Package odata parses and evaluates OData query options with Microsoft Graph's rules.
package odata
