package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// DesiredConfig is a config of zislint.yaml: the object the integration
// should have under Scope in the environment.
type DesiredConfig struct {
	Scope  string
	Config map[string]any
}

// Step kinds of configs.
const (
	StepCreateConfig  = "create_config"
	StepReplaceConfig = "replace_config"
)

// What a plan does to a config, in ConfigChange.Change.
const (
	ConfigCreate    = "create"
	ConfigReplace   = "replace"
	ConfigUnchanged = "unchanged"
)

// ConfigChange is what the plan does to one declared config. Keys are
// the top-level keys that differ (added, removed or changed); values are
// never shown, as a config may hold what should not be printed.
type ConfigChange struct {
	Scope  string   `json:"scope"`
	Change string   `json:"change"`
	Keys   []string `json:"keys,omitempty"`
}

// ErrConfigExists is returned by CreateConfig when the scope has a
// config already.
var ErrConfigExists = errors.New("a config of that scope already exists")

// maxConfigKeys is the most changed keys a plan names for one config.
const maxConfigKeys = 50

// planConfigs compares each declared config with the account's (none
// are read for an integration not registered) and adds a step for each
// to create or replace. Scopes not declared are never read or touched.
func (p *Plan) planConfigs(ctx context.Context, api API) error {
	for _, want := range p.target.Configs {
		desired, err := normalized(want.Config)
		if err != nil {
			return fmt.Errorf("config %s: %w", want.Scope, err)
		}
		var have map[string]any
		found := false
		if p.Exists {
			if have, found, err = api.GetConfig(ctx, p.Integration, want.Scope); err != nil {
				return err
			}
		}
		change := ConfigChange{Scope: want.Scope, Change: ConfigCreate}
		switch keys := changedKeys(have, desired); {
		case !found:
			change.Keys = sortedKeys(desired)
			p.Steps = append(p.Steps, Step{Action: StepCreateConfig, Config: want.Scope, Reason: "keys " + keyList(change.Keys)})
		case len(keys) == 0:
			change.Change = ConfigUnchanged
		default:
			change.Change, change.Keys = ConfigReplace, keys
			p.Steps = append(p.Steps, Step{Action: StepReplaceConfig, Config: want.Scope, Reason: "changes keys " + keyList(keys)})
		}
		p.Configs = append(p.Configs, change)
	}
	return nil
}

// normalized is v as JSON decodes it, so that a YAML 100 and a JSON 100
// compare equal.
func normalized(v map[string]any) (map[string]any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	return out, json.Unmarshal(data, &out)
}

// changedKeys lists the top-level keys whose values differ, sorted.
func changedKeys(have, want map[string]any) []string {
	var keys []string
	for k, w := range want {
		if h, ok := have[k]; !ok || !reflect.DeepEqual(h, w) {
			keys = append(keys, k)
		}
	}
	for k := range have {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// keyList quotes each key, cut, so no key of the account's config (its
// removed keys come from the server) can forge a line; past
// maxConfigKeys it counts the rest.
func keyList(keys []string) string {
	if len(keys) == 0 {
		return "(none)"
	}
	var parts []string
	for i, k := range keys {
		if i == maxConfigKeys {
			parts = append(parts, fmt.Sprintf("and %d more", len(keys)-i))
			break
		}
		parts = append(parts, strconv.Quote(cut(k, maxName)))
	}
	return strings.Join(parts, ", ")
}

// applyConfig runs a config step. A create that finds the scope taken
// (by an interrupted run, or someone since the plan) replaces instead:
// either way the account ends with the declared object.
func (p *Plan) applyConfig(ctx context.Context, api API, s *Step) error {
	want, ok := p.target.config(s.Config)
	if !ok {
		return fmt.Errorf("config %s is not declared", s.Config)
	}
	if s.Action == StepCreateConfig {
		err := api.CreateConfig(ctx, p.Integration, want.Scope, want.Config)
		if !errors.Is(err, ErrConfigExists) {
			return err
		}
		s.Status = "replaced (it existed)"
	}
	return api.ReplaceConfig(ctx, p.Integration, want.Scope, want.Config)
}

func (t *Target) config(scope string) (DesiredConfig, bool) {
	for _, c := range t.Configs {
		if c.Scope == scope {
			return c, true
		}
	}
	return DesiredConfig{}, false
}

func configsPath(key string, rest ...string) string {
	return "/api/services/zis/integrations/" + url.PathEscape(key) + "/configs" + strings.Join(rest, "")
}

// GetConfig reads the config of scope, filtering the configs API by it
// and keeping only an exact match.
func (c *Client) GetConfig(ctx context.Context, key, scope string) (map[string]any, bool, error) {
	if err := checkKey(key); err != nil {
		return nil, false, err
	}
	r := request{method: http.MethodGet, path: configsPath(key), query: url.Values{"filter[scope]": {scope}},
		auth: authZIS, safe: true, integration: key}
	resp, err := c.send(ctx, r, c.newBudget())
	if err != nil {
		return nil, false, err
	}
	var body struct {
		Configs []struct {
			Scope  string         `json:"scope"`
			Config map[string]any `json:"config"`
		} `json:"configs"`
	}
	if err := json.Unmarshal(resp.body, &body); err != nil {
		return nil, false, fmt.Errorf("%s: reading the configs: %w", r, err)
	}
	for _, x := range body.Configs {
		if x.Scope == scope {
			if x.Config == nil {
				x.Config = map[string]any{}
			}
			return x.Config, true, nil
		}
	}
	return nil, false, nil
}

// CreateConfig stores config under scope. When the answer is lost, it
// reads the scope before sending again, so a config is never created
// twice; a scope that has a config returns ErrConfigExists.
func (c *Client) CreateConfig(ctx context.Context, key, scope string, config map[string]any) error {
	if err := checkKey(key); err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{"scope": scope, "config": config})
	if err != nil {
		return err
	}
	r := request{
		method: http.MethodPost, path: configsPath(key), body: body, auth: authZIS, sensitive: true, integration: key,
		uncertain: func(ctx context.Context, b *budget, cause error) error {
			_, exists, err := c.GetConfig(ctx, key, scope)
			switch {
			case err != nil:
				return fmt.Errorf("creating config %s: it is unknown whether it was created (%v), and checking failed: %w", scope, cause, err)
			case exists:
				return fmt.Errorf("creating config %s: %w (the answer was lost)", scope, ErrConfigExists)
			}
			return nil
		},
	}
	_, err = c.send(ctx, r, c.newBudget())
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict {
		return fmt.Errorf("creating config %s: %w", scope, ErrConfigExists)
	}
	if err != nil {
		return fmt.Errorf("creating config %s: %w", scope, err)
	}
	return nil
}

// ReplaceConfig replaces the config of scope; sending it again is
// harmless, so it is retried like a read.
func (c *Client) ReplaceConfig(ctx context.Context, key, scope string, config map[string]any) error {
	if err := checkKey(key); err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{"config": config})
	if err != nil {
		return err
	}
	r := request{method: http.MethodPut, path: configsPath(key, "/", url.PathEscape(scope)), body: body,
		auth: authZIS, safe: true, sensitive: true, integration: key}
	if _, err := c.send(ctx, r, c.newBudget()); err != nil {
		return fmt.Errorf("replacing config %s: %w", scope, err)
	}
	return nil
}
