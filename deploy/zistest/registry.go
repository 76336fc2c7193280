package zistest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

const (
	maxPageSize     = 100 // documented cap of page[size]
	defaultPageSize = 20  // documented default
	redacted        = "*****"
)

// Connection types, as the keys of the connections listing.
const (
	ConnAPIKey      = "api_key"
	ConnBasicAuth   = "basic_auth"
	ConnBearerToken = "bearer_token"
	ConnOAuth       = "oauth"
)

// connTypes is the listing order: connections are paginated as one list
// ordered by type, then name. How the real API pages across types is
// unconfirmed.
var connTypes = []string{ConnAPIKey, ConnBasicAuth, ConnBearerToken, ConnOAuth}

// keyRE is the documented integration key rule: 1–64 of [a-z0-9_-].
var keyRE = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)

type integration struct {
	name, description, jwt string
	clientID               int64
	secret                 string
	bundle                 []byte // as uploaded; nil before the first upload
	bundleName             string
	bundleUUIDs            map[string]string        // bundle name → uuid; uploads are upserts by name
	stored                 map[string]*storedBundle // by uuid: every bundle name ever uploaded
	jobSpecs               map[string]*jobSpec
	conns                  map[string]*Connection     // by name: names are unique across types
	configs                map[string]json.RawMessage // by scope
}

type jobSpec struct {
	JobSpec
}

func (s *Server) newIDLocked() int64 {
	s.nextID++
	return s.nextID
}

// uuidLocked makes a well-formed, deterministic uuid.
func (s *Server) uuidLocked() string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", s.newIDLocked()%1e12)
}

func (s *Server) registerLocked(key, description string) *integration {
	id := s.newIDLocked()
	ig := &integration{
		name:        key,
		description: description,
		// Not a real key: the fake never signs anything.
		jwt:         "-----BEGIN PUBLIC KEY-----\nZISTEST" + base64.StdEncoding.EncodeToString([]byte(key)) + "\n-----END PUBLIC KEY-----\n",
		clientID:    id,
		secret:      fmt.Sprintf("zistest-client-secret-%d-%s", id, key),
		bundleUUIDs: map[string]string{},
		stored:      map[string]*storedBundle{},
		jobSpecs:    map[string]*jobSpec{},
		conns:       map[string]*Connection{},
		configs:     map[string]json.RawMessage{},
	}
	s.ints[key] = ig
	return ig
}

// parsedBundle is what the fake reads from an uploaded bundle.
type parsedBundle struct {
	name, description, version string
	jobSpecs                   []JobSpec
}

func parseBundle(raw []byte) (*parsedBundle, string) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil || top == nil {
		return nil, "the bundle is not a JSON object"
	}
	b := &parsedBundle{}
	if err := json.Unmarshal(top["zis_template_version"], &b.version); err != nil || b.version == "" {
		return nil, "zis_template_version is required"
	}
	var resources map[string]struct {
		Type       string          `json:"type"`
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(top["resources"], &resources); err != nil || resources == nil {
		return nil, "resources is required and must be an object"
	}
	json.Unmarshal(top["name"], &b.name)
	json.Unmarshal(top["description"], &b.description)
	seen := map[string]bool{}
	keys := make([]string, 0, len(resources))
	for k := range resources {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		res := resources[k]
		if res.Type != "ZIS::JobSpec" {
			continue
		}
		var p struct {
			Name        string `json:"name"`
			EventSource string `json:"event_source"`
			EventType   string `json:"event_type"`
			FlowName    string `json:"flow_name"`
			Description string `json:"description"`
		}
		if err := json.Unmarshal(res.Properties, &p); err != nil || p.Name == "" {
			return nil, fmt.Sprintf("job spec %s: properties.name is required", k)
		}
		if seen[p.Name] {
			return nil, "Bundle contains duplicated resources"
		}
		seen[p.Name] = true
		b.jobSpecs = append(b.jobSpecs, JobSpec{Name: p.Name, EventSource: p.EventSource, EventType: p.EventType, FlowName: p.FlowName, Description: p.Description})
	}
	return b, ""
}

// storeBundleLocked is the upload's effect. The fake keeps one bundle per
// integration (a deploy uploads one); the real registry keys bundles by
// name within the integration.
//
// An upload leaves earlier installs orphaned: every job spec of the new
// bundle is listed as not installed (with a new uuid) until installed
// again. A job spec that left the bundle but was installed stays, still
// installed, with its old definition, so a deploy must uninstall it;
// one that left the bundle and was not installed disappears.
func (s *Server) storeBundleLocked(ig *integration, raw []byte, b *parsedBundle) string {
	next := map[string]*jobSpec{}
	for _, js := range b.jobSpecs {
		js.UUID = s.uuidLocked()
		js.InBundle = true
		next[js.Name] = &jobSpec{js}
	}
	for name, old := range ig.jobSpecs {
		if _, ok := next[name]; !ok && old.Installed {
			old.InBundle = false
			next[name] = old
		}
	}
	ig.jobSpecs = next
	ig.bundle = append([]byte(nil), raw...)
	ig.bundleName = b.name
	uuid, ok := ig.bundleUUIDs[b.name]
	if !ok {
		uuid = s.uuidLocked()
		ig.bundleUUIDs[b.name] = uuid
	}
	ig.stored[uuid] = &storedBundle{uuid: uuid, parsed: b, raw: ig.bundle}
	return uuid
}

// storedBundle is one bundle of an integration as the registry keeps it.
type storedBundle struct {
	uuid   string
	parsed *parsedBundle
	raw    []byte
}

// auth is the outcome of checking a request's credentials.
type auth struct {
	kind   AuthKind
	scoped []string // for a bearer token bound to integrations
	admin  bool     // an API token or an admin access token
	writes bool     // for an admin: the scope allows changes
}

func (a auth) allows(integration string) bool {
	if a.scoped == nil {
		return true
	}
	for _, i := range a.scoped {
		if i == integration {
			return true
		}
	}
	return false
}

// errZISTokenOnly answers an admin credential on the endpoints the ZIS
// docs authenticate with the integration's ZIS OAuth token alone
// (creating connections, configs), so a client that sends anything else
// there is caught.
var errZISTokenOnly = errResp(http.StatusUnauthorized, "this endpoint takes a ZIS OAuth token of the integration", "Couldn't authenticate you")

var errMismatch = errResp(http.StatusUnauthorized, "Authorization failed due to integration mismatch", "Authorization failed due to integration mismatch")

// authorize checks credentials before anything else, as the real service
// does, so an unauthorised client learns nothing about the registry. No
// answer repeats the credential it was given.
func (s *Server) authorize(op Op, r *http.Request) (auth, *response) {
	kind := authKind(r)
	fail := func(msg string) (auth, *response) {
		resp := errResp(http.StatusUnauthorized, msg, msg)
		return auth{kind: kind}, &resp
	}
	switch kind {
	case AuthBasic:
		user, token, ok := r.BasicAuth()
		email, isToken := strings.CutSuffix(user, "/token")
		if ok && isToken {
			for _, c := range s.cfg.basic {
				if strings.EqualFold(c.email, email) && c.token == token {
					return auth{kind: kind, admin: true, writes: true}, nil
				}
			}
		}
		return fail("Couldn't authenticate you")
	case AuthBearer:
		_, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		a, valid := s.bearerAuth(strings.TrimSpace(token))
		// Documented for create integration and upload bundle: basic
		// auth or API token only; a third party saw OAuth refused with
		// this message. An admin access token passes unless the fake is
		// told to refuse it too.
		if (op == OpRegister || op == OpUpload) && (!a.admin || s.cfg.registryRefusesOAuth) {
			return fail("Authorization failed due to OAuth being disabled for this API request")
		}
		if !valid {
			return fail("Couldn't authenticate you")
		}
		if (op == OpRegister || op == OpUpload) && !a.writes {
			resp := errResp(http.StatusForbidden, "the token's scope does not allow writing", "Forbidden")
			return a, &resp
		}
		return a, nil
	}
	return fail("Couldn't authenticate you")
}

// handle is the registry proper; called with s.mu held.
func (s *Server) handle(rt routed, r *http.Request, body []byte) response {
	if rt.op == OpUnknown {
		if rt.status == http.StatusMethodNotAllowed {
			return errResp(rt.status, "method not allowed", "Method Not Allowed")
		}
		return errResp(http.StatusNotFound, "no such endpoint", "Not Found")
	}
	if rt.op == OpOAuthToken {
		// The client authenticates in the body.
		return s.grantToken(body)
	}
	a, fail := s.authorize(rt.op, r)
	if fail != nil {
		return *fail
	}
	switch rt.op {
	case OpListOAuthClients, OpCreateOAuthToken, OpRevokeOAuthToken:
		return s.handleOAuth(rt, a, r.URL.Query(), body)
	}
	if rt.integration != "" && !a.allows(rt.integration) {
		return errMismatch
	}
	switch rt.op {
	case OpRegister:
		return s.register(rt.integration, body)
	case OpListIntegrations:
		return s.listIntegrations()
	case OpUpload:
		return s.upload(rt.integration, body)
	case OpListBundles:
		return s.listBundles(rt.integration, r.URL.Query())
	case OpShowBundle:
		return s.showBundle(rt.integration, rt.uuid)
	case OpListJobSpecs:
		return s.listJobSpecs(rt.integration, r.URL.Query())
	case OpInstall, OpUninstall:
		return s.install(rt.op, a, r.URL.Query().Get("job_spec_name"))
	case OpListConnections:
		return s.listConnections(rt.integration, r.URL.Query())
	case OpCreateConnection, OpListConfigs, OpCreateConfig, OpReplaceConfig:
		if a.scoped == nil {
			return errZISTokenOnly
		}
		return s.zisTokenOp(rt, r.URL.Query(), body)
	}
	panic("zistest: unrouted op " + string(rt.op))
}

type wireClient struct {
	ID         int64  `json:"id"`
	Identifier string `json:"identifier"`
}

type wireClientWithSecret struct {
	ID         int64  `json:"id"`
	Identifier string `json:"identifier"`
	Secret     string `json:"secret"`
}

func (s *Server) register(key string, body []byte) response {
	if !keyRE.MatchString(key) {
		return errResp(http.StatusBadRequest, "invalid integration key", "Invalid integration key")
	}
	var req struct {
		Description string `json:"description"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			return errResp(http.StatusBadRequest, "the body is not valid JSON", "Bad request")
		}
	}
	if _, ok := s.ints[key]; ok {
		// 409 is undocumented; a third party saw it for an existing key.
		return errResp(http.StatusConflict, "integration "+key+" already exists", "Conflict")
	}
	ig := s.registerLocked(key, req.Description)
	s.counters.Registrations++
	return jsonResp(http.StatusOK, struct {
		Description  string               `json:"description"`
		JWTPublicKey string               `json:"jwt_public_key"`
		Client       wireClientWithSecret `json:"zendesk_oauth_client"`
	}{ig.description, ig.jwt, wireClientWithSecret{ig.clientID, "zis_" + ig.name, ig.secret}})
}

func (s *Server) listIntegrations() response {
	type wire struct {
		Name         string     `json:"name"`
		Description  string     `json:"description"`
		JWTPublicKey string     `json:"jwt_public_key"`
		Client       wireClient `json:"zendesk_oauth_client"`
	}
	out := []wire{}
	for _, key := range slices.Sorted(maps.Keys(s.ints)) {
		ig := s.ints[key]
		out = append(out, wire{ig.name, ig.description, ig.jwt, wireClient{ig.clientID, "zis_" + ig.name}})
	}
	return jsonResp(http.StatusOK, map[string]any{"integrations": out})
}

func (s *Server) upload(key string, body []byte) response {
	ig, ok := s.ints[key]
	if !ok {
		return notFound("integration " + key + " not found")
	}
	b, msg := parseBundle(body)
	if b == nil {
		return errResp(http.StatusBadRequest, msg, "Bad request")
	}
	uuid := s.storeBundleLocked(ig, body, b)
	s.counters.Uploads++
	// A summary like the bundle listing's items; clients should not
	// depend on this body, whose real shape is not documented.
	return jsonResp(s.cfg.uploadStatus, map[string]any{
		"uuid": uuid, "name": b.name, "description": b.description, "integration": key,
		"zendesk_account_id": s.cfg.accountID, "zis_template_version": b.version,
	})
}

// listBundles lists the integration's bundles in upload order (the uuids
// the fake makes sort by creation).
func (s *Server) listBundles(key string, q url.Values) response {
	ig, ok := s.ints[key]
	if !ok {
		return notFound("integration " + key + " not found")
	}
	uuids := slices.Sorted(maps.Keys(ig.stored))
	lo, hi, meta, fail := s.paginate(uuids, q)
	if fail != nil {
		return *fail
	}
	out := []map[string]any{}
	for _, u := range uuids[lo:hi] {
		b := ig.stored[u].parsed
		out = append(out, map[string]any{
			"uuid": u, "name": b.name, "description": b.description, "integration": key,
			"zendesk_account_id": s.cfg.accountID, "zis_template_version": b.version,
		})
	}
	return jsonResp(http.StatusOK, map[string]any{"bundles": out, "meta": meta})
}

// showBundle answers the bundle as uploaded, with the registry's fields
// added.
func (s *Server) showBundle(key, uuid string) response {
	ig, ok := s.ints[key]
	if !ok {
		return notFound("integration " + key + " not found")
	}
	sb, ok := ig.stored[uuid]
	if !ok {
		return notFound("bundle " + uuid + " not found")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(sb.raw, &top); err != nil {
		panic("zistest: a stored bundle is not an object: " + err.Error())
	}
	for k, v := range map[string]any{"uuid": uuid, "integration": key, "zendesk_account_id": s.cfg.accountID} {
		top[k], _ = json.Marshal(v)
	}
	return jsonResp(http.StatusOK, top)
}

type wireMeta struct {
	After   *string `json:"after"`
	Before  *string `json:"before"`
	HasMore bool    `json:"has_more"`
}

func (s *Server) listJobSpecs(key string, q url.Values) response {
	ig, ok := s.ints[key]
	if !ok {
		return notFound("integration " + key + " not found")
	}
	names := slices.Sorted(maps.Keys(ig.jobSpecs))
	lo, hi, meta, fail := s.paginate(names, q)
	if fail != nil {
		return *fail
	}
	type wire struct {
		Name        string `json:"name"`
		UUID        string `json:"uuid"`
		Integration string `json:"integration"`
		EventSource string `json:"event_source"`
		EventType   string `json:"event_type"`
		FlowName    string `json:"flow_name"`
		Installed   bool   `json:"installed"`
		Description string `json:"description"`
	}
	out := []wire{}
	for _, n := range names[lo:hi] {
		js := ig.jobSpecs[n]
		name := js.Name
		if s.cfg.qualified {
			name = QualifiedName(key, name)
		}
		out = append(out, wire{name, js.UUID, key, js.EventSource, js.EventType, js.FlowName, js.Installed, js.Description})
	}
	return jsonResp(http.StatusOK, map[string]any{"job_specs": out, "meta": meta})
}

// splitQualified splits "zis:<integration>:job_spec:<name>".
func splitQualified(name string) (integration, bare string, ok bool) {
	parts := strings.Split(name, ":")
	if len(parts) != 4 || parts[0] != "zis" || parts[2] != "job_spec" || parts[1] == "" || parts[3] == "" {
		return "", "", false
	}
	return parts[1], parts[3], true
}

// install installs or uninstalls. Both name forms are accepted because
// the docs pass a bare name and practitioners the qualified one. A bare
// name is looked up in every integration the credentials may act on; in
// more than one it is ambiguous (400, the fake's choice: the real
// service's answer is unknown), so clients should send qualified names.
func (s *Server) install(op Op, a auth, name string) response {
	if name == "" {
		return errResp(http.StatusBadRequest, "job_spec_name is required", "Bad request")
	}
	var ig *integration
	var js *jobSpec
	if key, bare, ok := splitQualified(name); ok {
		if !a.allows(key) {
			return errMismatch
		}
		if ig = s.ints[key]; ig != nil {
			js = ig.jobSpecs[bare]
		}
	} else if strings.Contains(name, ":") {
		return errResp(http.StatusBadRequest, "invalid job_spec_name", "Bad request")
	} else {
		for _, key := range slices.Sorted(maps.Keys(s.ints)) {
			if c := s.ints[key].jobSpecs[name]; c != nil && a.allows(key) {
				if js != nil {
					return errResp(http.StatusBadRequest, "job spec name "+name+" is ambiguous", "Bad request")
				}
				ig, js = s.ints[key], c
			}
		}
	}
	if js == nil {
		return notFound("job spec " + name + " not found")
	}
	qn := QualifiedName(ig.name, js.Name)
	if op == OpInstall {
		js.Installed = true
		s.counters.Installs++
		s.counters.InstallsByName[qn]++
		return s.installResp()
	}
	if !js.Installed {
		// The fake's choice: 404 unless WithUninstallNotInstalledOK.
		if !s.cfg.lenientUninst {
			return notFound("job spec " + name + " is not installed")
		}
	} else {
		js.Installed = false
		if !js.InBundle {
			// Left the bundle and no longer installed: nothing keeps it.
			delete(ig.jobSpecs, js.Name)
		}
	}
	s.counters.Uninstalls++
	s.counters.UninstallsByName[qn]++
	return s.installResp()
}

func (s *Server) installResp() response {
	if s.cfg.installStatus == http.StatusNoContent {
		return response{status: http.StatusNoContent}
	}
	return response{status: s.cfg.installStatus, body: []byte{}}
}

func (s *Server) listConnections(key string, q url.Values) response {
	ig, ok := s.ints[key]
	if !ok {
		return notFound("integration " + key + " not found")
	}
	byKey := map[string]*Connection{}
	var keys []string
	for _, c := range ig.conns {
		k := fmt.Sprintf("%d/%s", typeIndex(c.Type), c.Name)
		byKey[k] = c
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lo, hi, meta, fail := s.paginate(keys, q)
	if fail != nil {
		return *fail
	}
	out := map[string]any{"meta": meta}
	lists := map[string][]map[string]any{}
	for _, t := range connTypes {
		lists[t] = []map[string]any{}
	}
	for _, k := range keys[lo:hi] {
		c := byKey[k]
		lists[c.Type] = append(lists[c.Type], connectionJSON(key, c))
	}
	for t, l := range lists {
		out[t] = l
	}
	return jsonResp(http.StatusOK, out)
}

// zisTokenOp serves the endpoints that take the integration's ZIS OAuth
// token alone.
func (s *Server) zisTokenOp(rt routed, q url.Values, body []byte) response {
	ig, ok := s.ints[rt.integration]
	if !ok {
		return notFound("integration " + rt.integration + " not found")
	}
	switch rt.op {
	case OpCreateConnection:
		return s.createConnection(rt.integration, rt.connType, body)
	case OpListConfigs:
		return listConfigs(ig, q.Get("filter[scope]"))
	case OpCreateConfig:
		return createConfig(ig, body)
	}
	return replaceConfig(ig, rt.scope, body)
}

// listConfigs answers the configs whose scope matches filter, where *
// matches any run of characters; no filter lists them all.
func listConfigs(ig *integration, filter string) response {
	re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(filter), `\*`, ".*") + "$")
	scopes := make([]string, 0, len(ig.configs))
	for scope := range ig.configs {
		if filter == "" || re.MatchString(scope) {
			scopes = append(scopes, scope)
		}
	}
	sort.Strings(scopes)
	out := []map[string]any{}
	for _, scope := range scopes {
		out = append(out, map[string]any{"scope": scope, "config": ig.configs[scope], "integration": ig.name})
	}
	return jsonResp(http.StatusOK, map[string]any{"configs": out})
}

// createConfig stores {scope, config}. A scope that has a config is
// refused with 409 (the real status is unconfirmed).
func createConfig(ig *integration, body []byte) response {
	var req struct {
		Scope  string          `json:"scope"`
		Config json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Scope == "" || !isObject(req.Config) {
		return errResp(http.StatusUnprocessableEntity, "scope and an object config are required", "Unprocessable Entity")
	}
	if _, taken := ig.configs[req.Scope]; taken {
		return errResp(http.StatusConflict, "a config with this scope already exists", "Conflict")
	}
	ig.configs[req.Scope] = req.Config
	return jsonResp(http.StatusCreated, map[string]any{"config": map[string]any{"scope": req.Scope, "config": req.Config}})
}

// replaceConfig replaces the config of an existing scope.
func replaceConfig(ig *integration, scope string, body []byte) response {
	var req struct {
		Config json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal(body, &req); err != nil || !isObject(req.Config) {
		return errResp(http.StatusUnprocessableEntity, "an object config is required", "Unprocessable Entity")
	}
	if _, ok := ig.configs[scope]; !ok {
		return notFound("config " + scope + " not found")
	}
	ig.configs[scope] = req.Config
	return jsonResp(http.StatusOK, map[string]any{"config": map[string]any{"scope": scope, "config": req.Config}})
}

func isObject(raw json.RawMessage) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(raw, &m) == nil && m != nil
}

// connNameRE is the documented connection name rule.
var connNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{3,64}$`)

// createConnection stores a connection with its secret. The answer lists
// it as the listing does, the secret as "*****". A name taken by a
// connection of any type is refused with 409 (the real status is
// unconfirmed).
func (s *Server) createConnection(key, typ string, body []byte) response {
	ig := s.ints[key]
	var req map[string]string
	if err := json.Unmarshal(body, &req); err != nil {
		return errResp(http.StatusBadRequest, "the body must be a JSON object of strings", "Bad request")
	}
	secretField := map[string]string{ConnAPIKey: "api_key", ConnBasicAuth: "password", ConnBearerToken: "token"}[typ]
	required := []string{"name", "allowed_domain", secretField}
	switch typ {
	case ConnAPIKey:
		required = append(required, "header_name")
	case ConnBasicAuth:
		required = append(required, "username")
	}
	for _, f := range required {
		if req[f] == "" {
			return errResp(http.StatusUnprocessableEntity, f+" is required", "Unprocessable Entity")
		}
	}
	if !connNameRE.MatchString(req["name"]) {
		return errResp(http.StatusUnprocessableEntity, "name must be 3 to 64 letters, digits, _ or -", "Unprocessable Entity")
	}
	if _, taken := ig.conns[req["name"]]; taken {
		return errResp(http.StatusConflict, "a connection with this name already exists", "Conflict")
	}
	c := &Connection{Type: typ, Name: req["name"], UUID: s.uuidLocked(), AllowedDomain: req["allowed_domain"],
		HeaderName: req["header_name"], Username: req["username"], Secret: req[secretField]}
	ig.conns[c.Name] = c
	return jsonResp(http.StatusCreated, map[string]any{typ: connectionJSON(key, c)})
}

func typeIndex(t string) int {
	for i, c := range connTypes {
		if c == t {
			return i
		}
	}
	return len(connTypes)
}

// connectionJSON is a connection as listed: the secret field of its type
// is always "*****", whatever the secret.
func connectionJSON(integration string, c *Connection) map[string]any {
	m := map[string]any{"name": c.Name, "uuid": c.UUID, "integration": integration, "allowed_domain": c.AllowedDomain}
	switch c.Type {
	case ConnAPIKey:
		m["header_name"] = c.HeaderName
		m["api_key"] = redacted
	case ConnBasicAuth:
		m["username"] = c.Username
		m["password"] = redacted
	case ConnBearerToken:
		m["token"] = redacted
	case ConnOAuth:
		m["access_token"] = redacted
		m["token_type"] = "bearer"
	}
	return m
}

// paginate applies page[size], page[after] and page[before] to sorted
// keys. Cursors are opaque (base64 of the boundary key), so they stay
// valid when items change between pages. As in Zendesk's cursor
// pagination, meta.after and meta.before point at the page's last and
// first items whenever the page is not empty; has_more, not a non-null
// cursor, says whether to go on.
func (s *Server) paginate(keys []string, q url.Values) (lo, hi int, meta wireMeta, fail *response) {
	bad := func(detail string) (int, int, wireMeta, *response) {
		r := errResp(http.StatusBadRequest, detail, "Bad request")
		return 0, 0, wireMeta{}, &r
	}
	size := min(defaultPageSize, s.cfg.maxPageSize)
	if v := q.Get("page[size]"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return bad(fmt.Sprintf("page[size] must be between 1 and %d", maxPageSize))
		}
		size = min(n, s.cfg.maxPageSize)
	}
	after, before := q.Get("page[after]"), q.Get("page[before]")
	if after != "" && before != "" {
		return bad("page[after] and page[before] cannot be used together")
	}
	n := len(keys)
	switch {
	case after != "":
		k, ok := decodeCursor(after)
		if !ok {
			return bad("invalid cursor")
		}
		lo = sort.SearchStrings(keys, k)
		if lo < n && keys[lo] == k {
			lo++
		}
		hi = min(lo+size, n)
		meta.HasMore = hi < n
	case before != "":
		k, ok := decodeCursor(before)
		if !ok {
			return bad("invalid cursor")
		}
		hi = sort.SearchStrings(keys, k)
		lo = max(0, hi-size)
		meta.HasMore = lo > 0
	default:
		hi = min(size, n)
		meta.HasMore = hi < n
	}
	if hi > lo {
		a, b := encodeCursor(keys[hi-1]), encodeCursor(keys[lo])
		meta.After, meta.Before = &a, &b
	}
	return lo, hi, meta, nil
}

const cursorPrefix = "zistest/v1:"

func encodeCursor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + key))
}

func decodeCursor(c string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", false
	}
	return strings.CutPrefix(string(b), cursorPrefix)
}

// errResp is the documented ZIS error shape. The codes seen in the docs
// are 1001 (401) and 1050 (500); 1010 is documented for 400 and used by
// the reference for 409, and the fake uses it for every other 4xx too.
func errResp(status int, detail, message string) response {
	code := "1010"
	switch {
	case status == http.StatusUnauthorized:
		code = "1001"
	case status >= 500:
		code = "1050"
	}
	type item struct {
		Code   string `json:"code"`
		Detail string `json:"detail"`
		Status string `json:"status"`
	}
	return jsonResp(status, struct {
		Errors  []item `json:"errors"`
		Message string `json:"message"`
	}{[]item{{code, detail, strconv.Itoa(status)}}, message})
}

func notFound(detail string) response { return errResp(http.StatusNotFound, detail, "Not Found") }

func jsonResp(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return response{status: status, body: b}
}
