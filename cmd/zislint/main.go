// Command zislint checks Zendesk Integration Services bundles.
//
//	zislint lint [flags] [path ...]   lint bundles (files or folders)
//	zislint rules [ID|name]           list the rules, or explain one
//	zislint schema                    print the bundle JSON Schema
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
