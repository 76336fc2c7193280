package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// readDeployed reads the integration's deployed bundle and compares it
// with the rendered one. A registry that will not show bundles (404,
// 403) or answers one that cannot be read leaves the content unknown:
// the plan then uploads, as it did before it could compare, and says
// why. Other failures (the registry down past the retry budget) fail
// the plan, as any other read does.
func (p *Plan) readDeployed(ctx context.Context, api API) error {
	listed, err := api.ListBundles(ctx, p.Integration)
	if unavailable(err) {
		p.unknown(fmt.Sprintf("the registry does not list the bundles (%s)", statusText(err)))
		return nil
	}
	if err != nil {
		return err
	}
	deployed, ok := p.pick(listed)
	if !ok {
		p.compare(nil)
		return nil
	}
	p.DeployedBundle = deployed.UUID
	data, err := api.ShowBundle(ctx, p.Integration, deployed.UUID)
	if unavailable(err) {
		p.unknown(fmt.Sprintf("Show Bundle is unavailable (%s)", statusText(err)))
		return nil
	}
	if err != nil {
		return err
	}
	obj, err := decodeObject(data)
	if err != nil {
		p.unknown("the registry's bundle is not a JSON object")
		return nil
	}
	if owner, ok := obj["integration"].(string); ok && owner != p.Integration {
		p.unknown("the registry answered a bundle of another integration")
		return nil
	}
	p.compare(obj)
	return nil
}

// pick chooses the deployed bundle the upload will replace: the one of
// the same name (uploads are upserts by name), else the newest, which
// the registry lists last.
func (p *Plan) pick(listed []BundleInfo) (BundleInfo, bool) {
	if len(listed) == 0 {
		return BundleInfo{}, false
	}
	name := p.target.Name
	for _, b := range listed {
		if name != "" && b.Name == name {
			return b, true
		}
	}
	return listed[len(listed)-1], true
}

// compare sets the plan's changes from the deployed bundle (nil: none).
func (p *Plan) compare(deployed map[string]any) {
	rendered, err := decodeObject(p.target.Bundle)
	if err != nil {
		// NewTarget parsed it; this cannot happen.
		p.unknown("the rendered bundle could not be read again")
		return
	}
	p.Changes, p.ChangesOmitted = diffBundles(deployed, rendered)
	if p.Changes == nil {
		p.Changes = []ResourceChange{}
	}
	switch {
	case deployed == nil:
		p.Deployed = ContentNone
	case len(p.Changes) == 0 && p.ChangesOmitted == 0:
		p.Deployed = ContentUnchanged
	default:
		p.Deployed = ContentChanged
	}
}

func (p *Plan) unknown(why string) {
	p.Deployed, p.DeployedNote = ContentUnknown, why
	p.Changes, p.ChangesOmitted = []ResourceChange{}, 0
}

// unavailable reports whether err is the registry refusing to show
// bundles to these credentials, or not having them.
func unavailable(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && (apiErr.Status == http.StatusNotFound || apiErr.Status == http.StatusForbidden)
}

func statusText(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return fmt.Sprintf("HTTP %d", apiErr.Status)
	}
	return "error"
}
