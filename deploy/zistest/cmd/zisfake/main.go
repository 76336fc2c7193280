// Command zisfake serves the in-memory ZIS registry locally, so that
// zislint plan and deploy can be tried without a Zendesk account:
//
//	go run ./deploy/zistest/cmd/zisfake -addr 127.0.0.1:8080 \
//	    -connection 'acme_refunds_dev:zendesk:oauth:*.zendesk.com'
//
// It stops on SIGINT or SIGTERM. See package zisfake for the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/zislint/zislint/deploy/zistest/zisfake"
)

func main() {
	o, err := zisfake.ParseArgs(os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintln(os.Stderr, "zisfake:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := zisfake.Run(ctx, o, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "zisfake:", err)
		os.Exit(1)
	}
}
