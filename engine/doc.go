// Package engine holds all tenant state and the directory and licensing rules of graphmock.
package engine
