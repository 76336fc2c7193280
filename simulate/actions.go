package simulate

import (
	"fmt"
	"net/url"
	"strings"
)

const (
	jqAction      = "zis:common:transform:Jq"
	builtinPrefix = "zis:common:action:"
	// redacted stands for a connection's secret in recorded requests.
	redacted = "[redacted]"
)

// callAction runs an Action state's action with its resolved Parameters.
// prefix names the Map iteration, as in Result.States.
func (r *run) callAction(st *state, prefix string, params any) (any, error) {
	switch {
	case st.action == jqAction:
		p, _ := params.(map[string]any)
		return r.jq(st, p["expr"], p["data"])
	case strings.HasPrefix(st.action, builtinPrefix):
		return r.builtin(st, prefix, strings.TrimPrefix(st.action, builtinPrefix), params)
	}
	a := st.custom
	if a == nil {
		return nil, &stateError{name: errRuntime, cause: fmt.Sprintf("ActionName %q names no action of this bundle", st.action)}
	}
	req, err := r.request(st, a, params)
	req.State = prefix + st.name
	if err != nil {
		return nil, err
	}
	resp, err := r.response(st, a.name)
	if err != nil {
		return nil, err
	}
	r.res.Requests = append(r.res.Requests, req)
	if resp.Status < 200 || resp.Status > 299 {
		return nil, &stateError{name: errTaskFailed, cause: fmt.Sprintf("external action failed due to status code: %d", resp.Status), status: resp.Status}
	}
	if s, ok := resp.Body.(string); ok {
		return map[string]any{"__httpresponse": s}, nil // not JSON
	}
	return document(resp.Body), nil
}

// request builds the HTTP request of a custom action. Inside the
// definition, $ is the calling state's resolved Parameters.
func (r *run) request(st *state, a *action, params any) (Request, error) {
	req := Request{State: st.name, Action: st.action, Method: a.method, Headers: map[string]string{}, Connection: a.connection}
	target, err := evalText(a.url, params, &r.meter)
	if err != nil {
		return req, err
	}
	if a.url == nil {
		path, err := evalText(a.path, params, &r.meter)
		if err != nil {
			return req, err
		}
		target = "https://" + r.f.Account.Subdomain + ".zendesk.com" + path
	}
	if req.URL, err = withQuery(target, a.query, params, &r.meter); err != nil {
		return req, err
	}
	for _, h := range a.headers {
		v, err := h.value.eval(params, &r.meter)
		if err != nil {
			return req, err
		}
		req.Headers[h.key] = text(v)
	}
	r.authenticate(&req)
	if a.body != nil {
		if req.Body, err = a.body.eval(params, &r.meter); err != nil {
			return req, err
		}
	}
	return req, nil
}

func evalText(v cvalue, params any, m *meter) (string, error) {
	if v == nil {
		return "", nil
	}
	out, err := v.eval(params, m)
	return text(out), err
}

func withQuery(target string, query []header, params any, m *meter) (string, error) {
	if len(query) == 0 {
		return target, nil
	}
	parts := make([]string, 0, len(query))
	for _, q := range query {
		v, err := q.value.eval(params, m)
		if err != nil {
			return "", err
		}
		parts = append(parts, url.QueryEscape(q.key)+"="+url.QueryEscape(text(v)))
	}
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return target + sep + strings.Join(parts, "&"), nil
}

// authenticate records the header the connection would add, with its
// secret redacted. Without the connection's type from zislint.yaml only
// its name is recorded.
func (r *run) authenticate(req *Request) {
	c := r.p.connections[req.Connection]
	if c == nil {
		return
	}
	switch c.Type {
	case "oauth", "bearer_token":
		req.Headers["Authorization"] = "Bearer " + redacted
	case "basic_auth":
		req.Headers["Authorization"] = "Basic " + redacted
	case "api_key":
		req.Headers[c.HeaderName] = redacted
	}
}

// response takes the next recorded response of an action. A missing one
// ends the run: the simulator never calls the network.
func (r *run) response(st *state, action string) (Response, error) {
	i := r.used.of(action)
	list := r.f.Responses[action]
	if i >= len(list) {
		where := fmt.Sprintf("under responses.%s in %s", action, r.f.Path)
		if r.f.ResponsesFile != "" {
			where = fmt.Sprintf("to the list of %s in %s", action, r.f.ResponsesFile)
		}
		return Response{}, &runFailure{fatal: true, RunError: RunError{Error: ErrFixture, State: st.name,
			Cause: fmt.Sprintf("no recorded response for call %d of action %s; add one %s", i+1, action, where)}}
	}
	r.used = r.used.add(action)
	return list[i], nil
}

// consumed counts the responses a run took, per action. A run calls few
// actions: a list searched in order costs less than a map.
type consumed []actionUse

type actionUse struct {
	action string
	n      int
}

func (c consumed) of(action string) int {
	for _, u := range c {
		if u.action == action {
			return u.n
		}
	}
	return 0
}

// add counts one more response of action.
func (c consumed) add(action string) consumed {
	for i := range c {
		if c[i].action == action {
			c[i].n++
			return c
		}
	}
	return append(c, actionUse{action, 1})
}

// UnusedResponses lists the fixture's responses the run never consumed,
// as "Action#n" (1-based). The list is made when asked for, not by every
// run: most callers never ask.
func (res *Result) UnusedResponses() []string {
	var out []string
	for _, action := range sortedKeys(res.responses) {
		for i := res.used.of(action); i < len(res.responses[action]); i++ {
			out = append(out, fmt.Sprintf("%s#%d", action, i+1))
		}
	}
	return out
}

// jq runs the Jq built-in on the values of its expr and data parameters.
func (r *run) jq(st *state, expr, data any) (any, error) {
	code := st.jq
	if code == nil {
		src, ok := expr.(string)
		if !ok {
			return nil, &stateError{name: errRuntime, cause: "the Jq action needs an expr string"}
		}
		var err error
		if code, err = compileJq(src); err != nil {
			return nil, &stateError{name: errRuntime, cause: "jq: " + err.Error()}
		}
	}
	if code.writesInput {
		data = clone(data)
	}
	result, err := runJq(code, data, &r.meter)
	if err != nil {
		if _, ok := err.(*runFailure); ok {
			return nil, err
		}
		if limit, ok := err.(*jqLimitError); ok {
			return nil, &runFailure{fatal: true, RunError: RunError{Error: errJqLimit, State: st.name,
				Cause: fmt.Sprintf("state %s: %s", st.name, limit.msg)}}
		}
		return nil, &stateError{name: errRuntime, cause: "jq: " + err.Error()}
	}
	return result, nil
}

// builtin runs the config and link actions against in-memory stores.
func (r *run) builtin(st *state, prefix, name string, params any) (any, error) {
	p, _ := params.(map[string]any)
	switch name {
	case "LoadConfig":
		return r.loadConfig(p)
	case "PatchConfig":
		return r.patchConfig(st, prefix, p)
	case "LoadLinks":
		return r.loadLinks(p), nil
	case "CreateLink", "PatchLink", "DeleteLink":
		return r.writeLink(st, prefix, name, p), nil
	}
	return nil, &stateError{name: errRuntime, cause: fmt.Sprintf("%q is not a built-in action", st.action)}
}

// loadConfig returns {"config": settings} for the first scope matching
// the (possibly wildcarded) scope, as the LoadConfig API documents.
func (r *run) loadConfig(p map[string]any) (any, error) {
	scope, _ := p["scope"].(string)
	for _, s := range sortedKeys(r.config) {
		if scopeMatches(scope, s) {
			return map[string]any{"config": r.config[s]}, nil
		}
	}
	return nil, &stateError{name: errTaskFailed, cause: fmt.Sprintf("no config with scope %q; add it under config in the fixture", scope)}
}

func scopeMatches(pattern, scope string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(scope, prefix)
	}
	return pattern == scope
}

// patchConfig merges settings into a scope; later loads see them.
func (r *run) patchConfig(st *state, prefix string, p map[string]any) (any, error) {
	scope, _ := p["scope"].(string)
	patch, _ := p["config"].(map[string]any)
	if scope == "" || patch == nil {
		return nil, &stateError{name: errRuntime, cause: "PatchConfig needs a scope and a config object"}
	}
	// The scope's settings may be the fixture's, or already in a
	// document: the patched settings are a new object.
	old, _ := r.config[scope].(map[string]any)
	cur := make(map[string]any, len(old)+len(patch))
	for k, v := range old {
		cur[k] = v
	}
	for k, v := range patch {
		cur[k] = v
	}
	r.ownConfigScopes()[scope] = cur
	r.record(st, prefix, "PATCH", "zis-config:"+scope, patch)
	return map[string]any{}, nil
}

// ownConfigScopes is the run's map of config scopes, copied from the
// fixture's at the first write.
func (r *run) ownConfigScopes() map[string]any {
	if !r.ownConfig {
		own := make(map[string]any, len(r.config)+1)
		for k, v := range r.config {
			own[k] = v
		}
		r.config, r.ownConfig = own, true
	}
	return r.config
}

// record adds a write to a ZIS store to the requests.
func (r *run) record(st *state, prefix, method, target string, body any) {
	r.res.Requests = append(r.res.Requests, Request{State: prefix + st.name, Action: st.action, Method: method, URL: target, Headers: map[string]string{}, Body: body})
}

func (r *run) loadLinks(p map[string]any) any {
	typ, _ := p["link_type"].(string)
	left, _ := p["left_object_name"].(string)
	right, _ := p["right_object_name"].(string)
	found := []any{}
	for _, l := range r.links {
		link, _ := l.(map[string]any)
		if link["link_type"] == typ && objectName(link["left_object"], left) && objectName(link["right_object"], right) {
			found = append(found, link)
		}
	}
	return map[string]any{"links": found}
}

// objectName matches a link object's name against a filter ("" matches
// any, a trailing * matches a prefix).
func objectName(obj any, filter string) bool {
	if filter == "" {
		return true
	}
	o, _ := obj.(map[string]any)
	name, _ := o["name"].(string)
	return scopeMatches(filter, name)
}

var linkMethods = map[string]string{"CreateLink": "POST", "PatchLink": "PATCH", "DeleteLink": "DELETE"}

func (r *run) writeLink(st *state, prefix, name string, p map[string]any) any {
	r.record(st, prefix, linkMethods[name], "zis-links:"+fmt.Sprint(p["link_type"]), p)
	if name != "CreateLink" {
		return map[string]any{}
	}
	// The ZIS links page (developer-guide/zis-links) shows the response:
	// the link scoped to the flow's account and integration, with a uuid.
	r.created++
	link := map[string]any{
		"account_id":   r.account,
		"integration":  r.p.key,
		"left_object":  p["left_object"],
		"link_type":    p["link_type"],
		"right_object": p["right_object"],
		"uuid":         linkUUID(r.created),
	}
	r.links = append(r.links, link)
	return map[string]any{"link": link}
}

// linkUUID is the uuid of the n-th link a run creates: UUID-shaped and
// the same on every run, so goldens stay stable.
func linkUUID(n int) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
}
