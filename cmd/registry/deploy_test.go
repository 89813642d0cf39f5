package main

// Checks of deploy/: each manifest is valid for the tool that reads it
// (Kubernetes objects decoded strictly into the Kubernetes API's own types,
// compose.yaml through compose-go's loader and schema, the systemd unit
// through systemd-analyze when present), the ports they wire together are
// the ones the binary listens on, and the binary starts with the very
// environment and arguments each gives it and answers the probes and the
// scrape they declare. What they choose (replicas, memory, image tags) is
// theirs: no test pins it.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"
	composetypes "github.com/compose-spec/compose-go/v2/types"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	k8syaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

const deployDir = "../../deploy"

// Kubernetes.

// k8sManifests are the objects of deploy/kubernetes, each decoded strictly
// (an unknown or misspelt field, a wrong type or a duplicate key fails).
type k8sManifests struct {
	deployment *appsv1.Deployment
	job        *batchv1.Job
	config     *corev1.ConfigMap
	secret     *corev1.Secret
	service    *corev1.Service
	hpa        *autoscalingv2.HorizontalPodAutoscaler
	pdb        *policyv1.PodDisruptionBudget
	files      map[string]bool // the manifests' file names
}

func loadKubernetes(t *testing.T) k8sManifests {
	t.Helper()
	m := k8sManifests{files: map[string]bool{}}
	paths, err := filepath.Glob(filepath.Join(deployDir, "kubernetes", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	for _, path := range paths {
		if filepath.Base(path) == "kustomization.yaml" {
			continue
		}
		m.files[filepath.Base(path)] = true
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r := k8syaml.NewYAMLReader(bufio.NewReader(f))
		for {
			doc, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if len(bytes.TrimSpace(stripComments(doc))) == 0 {
				continue
			}
			var head struct{ APIVersion, Kind string }
			if err := yaml.Unmarshal(doc, &head); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			var obj any
			switch head.APIVersion + " " + head.Kind {
			case "apps/v1 Deployment":
				m.deployment = &appsv1.Deployment{}
				obj = m.deployment
			case "batch/v1 Job":
				m.job = &batchv1.Job{}
				obj = m.job
			case "v1 ConfigMap":
				m.config = &corev1.ConfigMap{}
				obj = m.config
			case "v1 Secret":
				m.secret = &corev1.Secret{}
				obj = m.secret
			case "v1 Service":
				m.service = &corev1.Service{}
				obj = m.service
			case "v1 Namespace":
				obj = &corev1.Namespace{}
			case "autoscaling/v2 HorizontalPodAutoscaler":
				m.hpa = &autoscalingv2.HorizontalPodAutoscaler{}
				obj = m.hpa
			case "policy/v1 PodDisruptionBudget":
				m.pdb = &policyv1.PodDisruptionBudget{}
				obj = m.pdb
			default:
				t.Fatalf("%s: %s %s is not checked here", path, head.APIVersion, head.Kind)
			}
			if err := yaml.UnmarshalStrict(doc, obj); err != nil {
				t.Errorf("%s: %s: %v", path, head.Kind, err)
			}
		}
		f.Close()
	}
	if m.deployment == nil || m.job == nil || m.config == nil || m.secret == nil || m.service == nil || m.hpa == nil || m.pdb == nil {
		t.Fatalf("deploy/kubernetes lacks an object: %+v", m)
	}
	return m
}

var commentLine = regexp.MustCompile(`(?m)^\s*#.*$`)

func stripComments(doc []byte) []byte { return commentLine.ReplaceAll(doc, nil) }

// port returns a container's port by name or number, 0 when it has none.
func port(c corev1.Container, p string) int {
	for _, cp := range c.Ports {
		if cp.Name == p || strconv.Itoa(int(cp.ContainerPort)) == p {
			return int(cp.ContainerPort)
		}
	}
	return 0
}

func listenPort(t *testing.T, setting, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	n, err2 := strconv.Atoi(p)
	if err != nil || err2 != nil {
		t.Fatalf("%s %q is not host:port", setting, addr)
	}
	return n
}

// The objects fit together: what kubectl apply -k sends, the probes and the
// scrape reach the ports the binary listens on, the Service, autoscaler and
// disruption budget find the Deployment's pods, and the grace period lets
// serve finish its requests.
func TestDeployKubernetes(t *testing.T) {
	m := loadKubernetes(t)

	var kustomization struct {
		Resources []string `json:"resources"`
	}
	data, err := os.ReadFile(filepath.Join(deployDir, "kubernetes", "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &kustomization); err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(maps.Keys(m.files))
	want = slices.DeleteFunc(want, func(f string) bool { return f == "secret.example.yaml" })
	if got := slices.Sorted(slices.Values(kustomization.Resources)); !slices.Equal(got, want) {
		t.Errorf("kustomization.yaml resources %v, want every manifest but the example Secret: %v", got, want)
	}

	pod := m.deployment.Spec.Template
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("the Deployment has %d containers, want 1", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	api := listenPort(t, "LISTEN_ADDR", m.config.Data["LISTEN_ADDR"])
	for what, probe := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe, "startup": c.StartupProbe} {
		if probe == nil || probe.HTTPGet == nil {
			t.Errorf("no HTTP %s probe", what)
			continue
		}
		if p := port(c, probe.HTTPGet.Port.String()); p != api {
			t.Errorf("%s probe on port %s (%d), LISTEN_ADDR listens on %d", what, probe.HTTPGet.Port.String(), p, api)
		}
	}
	metrics := listenPort(t, "METRICS_ADDR", m.config.Data["METRICS_ADDR"])
	if a := pod.Annotations; a["prometheus.io/scrape"] != "true" || a["prometheus.io/port"] != strconv.Itoa(metrics) || port(c, a["prometheus.io/port"]) != metrics {
		t.Errorf("scrape annotations %v: want the port of METRICS_ADDR (%d), a container port", a, metrics)
	}
	for _, sp := range m.service.Spec.Ports {
		if p := port(c, sp.TargetPort.String()); p != api {
			t.Errorf("the Service sends port %d to %s (%d), not LISTEN_ADDR's %d: the metrics stay off the Service", sp.Port, sp.TargetPort.String(), p, api)
		}
	}
	podLabels := labels.Set(pod.Labels)
	if !labels.SelectorFromSet(m.service.Spec.Selector).Matches(podLabels) {
		t.Error("the Service does not select the Deployment's pods")
	}
	if sel := m.pdb.Spec.Selector; sel == nil || !labels.SelectorFromSet(sel.MatchLabels).Matches(podLabels) {
		t.Error("the PodDisruptionBudget does not select the Deployment's pods")
	}
	if ref := m.hpa.Spec.ScaleTargetRef; ref.Kind != "Deployment" || ref.Name != m.deployment.Name {
		t.Errorf("the autoscaler scales %s %s", ref.Kind, ref.Name)
	}
	shutdown := 30 * time.Second
	if s := m.config.Data["SHUTDOWN_TIMEOUT"]; s != "" {
		if shutdown, err = time.ParseDuration(s); err != nil {
			t.Fatal(err)
		}
	}
	pause := time.Duration(0)
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		pause = time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	}
	if g := pod.Spec.TerminationGracePeriodSeconds; g == nil || time.Duration(*g)*time.Second <= pause+shutdown {
		t.Errorf("terminationGracePeriodSeconds must exceed the preStop pause (%s) and the shutdown timeout (%s)", pause, shutdown)
	}
	if _, ok := m.secret.StringData["DATABASE_URL"]; !ok || len(m.secret.Data) > 0 {
		t.Error("secret.example.yaml: DATABASE_URL under stringData (with a placeholder), nothing under data")
	}
}

// Compose.

// loadCompose loads compose.yaml as docker compose does, without a
// deploy/.env: the file's defaults apply. The loader checks it against the
// Compose specification's schema.
func loadCompose(t *testing.T) *composetypes.Project {
	t.Helper()
	opts, err := cli.NewProjectOptions([]string{filepath.Join(deployDir, "compose.yaml")},
		cli.WithWorkingDirectory(deployDir), cli.WithEnv(nil), cli.WithConsistency(true))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	return p
}

func composeEnv(t *testing.T, s composetypes.ServiceConfig) map[string]string {
	t.Helper()
	vars := map[string]string{}
	for k, v := range s.Environment {
		if v != nil {
			vars[k] = *v
		}
	}
	return vars
}

func TestDeployCompose(t *testing.T) {
	p := loadCompose(t)
	reg, err := p.GetService("registry")
	if err != nil {
		t.Fatal(err)
	}
	vars := composeEnv(t, reg)
	api := listenPort(t, "LISTEN_ADDR", vars["LISTEN_ADDR"])
	for _, pc := range reg.Ports {
		if int(pc.Target) != api {
			t.Errorf("compose publishes container port %d; LISTEN_ADDR listens on %d (the metrics must not be published)", pc.Target, api)
		}
	}
	if ma := vars["METRICS_ADDR"]; ma != "" && ma != "off" && !slices.Contains(reg.Expose, strconv.Itoa(listenPort(t, "METRICS_ADDR", ma))) {
		t.Errorf("compose does not expose METRICS_ADDR's port %s to the network: %v", ma, reg.Expose)
	}
	if g := reg.StopGracePeriod; g == nil || time.Duration(*g) <= 30*time.Second {
		t.Error("stop_grace_period must exceed serve's 30 s shutdown")
	}
}

// systemd.

func loadUnit(t *testing.T) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(deployDir, "systemd", "registry.service"))
	if err != nil {
		t.Fatal(err)
	}
	unit := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(line, "#") {
			unit[k] = append(unit[k], v)
		}
	}
	return unit
}

// execArgs returns the arguments of the unit's command key, after the binary.
func execArgs(t *testing.T, unit map[string][]string, key string) []string {
	t.Helper()
	if len(unit[key]) != 1 {
		t.Fatalf("registry.service: want one %s", key)
	}
	f := strings.Fields(unit[key][0])
	return f[1:]
}

func loadEnvFile(t *testing.T, rel string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(deployDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: %q is not NAME=value", rel, line)
		}
		vars[k] = v
	}
	return vars
}

// systemd-analyze verify reads the unit as systemd would; it warns (and
// still exits 0) on unknown keys, so any warning about the unit fails.
func TestDeploySystemdUnitVerifies(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("no systemd-analyze")
	}
	data, err := os.ReadFile(filepath.Join(deployDir, "systemd", "registry.service"))
	if err != nil {
		t.Fatal(err)
	}
	// verify wants the commands to exist: any executable stands in for the
	// binary's installed path.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(t.TempDir(), "registry.service")
	os.WriteFile(unit, bytes.ReplaceAll(data, []byte("/usr/local/bin/registry"), []byte(exe)), 0o644)
	out, err := exec.Command("systemd-analyze", "verify", unit).CombinedOutput()
	if err != nil || bytes.Contains(out, []byte("registry.service")) {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	timeout, err := strconv.Atoi(loadUnit(t)["TimeoutStopSec"][0])
	if err != nil || time.Duration(timeout)*time.Second <= 30*time.Second {
		t.Error("TimeoutStopSec must exceed serve's 30 s shutdown")
	}
}

// Starting the binary the way each deployment does.

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startsWith runs migrateArgs, then serveArgs, with vars as the whole
// environment but for an SQLite file in a temporary directory as the
// database and free loopback ports for the API and the metrics. The server
// must answer 200 on every one of probes and on the metrics path, then shut
// down cleanly as on SIGTERM.
func startsWith(t *testing.T, vars map[string]string, migrateArgs, serveArgs, probes []string, metricsPath string) {
	t.Helper()
	vars = maps.Clone(vars)
	vars["DATABASE_URL"] = "sqlite:" + filepath.Join(t.TempDir(), "registry.db")
	delete(vars, "DATABASE_READ_URL")
	vars["LISTEN_ADDR"] = freeAddr(t)
	if metricsPath != "" {
		vars["METRICS_ADDR"] = freeAddr(t)
	}
	if migrateArgs != nil {
		env, _, errOut := testEnv(vars)
		if err := run(context.Background(), env, migrateArgs); err != nil {
			t.Fatalf("registry %s: %v\n%s", strings.Join(migrateArgs, " "), err, errOut)
		}
	}
	if len(serveArgs) == 0 || serveArgs[0] != "serve" {
		t.Fatalf("the server runs %v, not serve", serveArgs)
	}
	stop := startServe(t, vars, serveArgs[1:]...)
	for _, path := range probes {
		if code := getStatus("http://" + vars["LISTEN_ADDR"] + path); code != http.StatusOK {
			t.Errorf("probe %s: %d", path, code)
		}
	}
	if metricsPath != "" {
		if code, body := get("http://" + vars["METRICS_ADDR"] + metricsPath); code != http.StatusOK || !strings.Contains(body, "registry_http_requests_total") {
			t.Errorf("scrape %s: %d", metricsPath, code)
		}
	}
	if log, err := stop(); err != nil || !strings.Contains(log, "shutting down") {
		t.Errorf("shutdown: %v\n%s", err, log)
	}
}

func TestDeployEnvironmentStartsTheBinary(t *testing.T) {
	t.Run("kubernetes", func(t *testing.T) {
		m := loadKubernetes(t)
		vars := maps.Clone(m.config.Data)
		maps.Copy(vars, m.secret.StringData)
		c, job := m.deployment.Spec.Template.Spec.Containers[0], m.job.Spec.Template.Spec.Containers[0]
		for _, e := range append(c.Env, job.Env...) {
			vars[e.Name] = e.Value
		}
		var probes []string
		for _, p := range []*corev1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
			probes = append(probes, p.HTTPGet.Path)
		}
		startsWith(t, vars, job.Args, c.Args, probes, m.deployment.Spec.Template.Annotations["prometheus.io/path"])
	})

	t.Run("compose", func(t *testing.T) {
		p := loadCompose(t)
		reg, err := p.GetService("registry")
		if err != nil {
			t.Fatal(err)
		}
		mig, err := p.GetService("migrate")
		if err != nil {
			t.Fatal(err)
		}
		startsWith(t, composeEnv(t, reg), mig.Command, reg.Command, []string{"/healthz", "/readyz"}, "/metrics")
	})

	t.Run("systemd", func(t *testing.T) {
		unit := loadUnit(t)
		startsWith(t, loadEnvFile(t, "systemd/registry.env.example"), execArgs(t, unit, "ExecStartPre"), execArgs(t, unit, "ExecStart"),
			[]string{"/healthz", "/readyz"}, "/metrics")
	})
}

// Nothing in deploy/ names a container registry host or holds what looks
// like a real password or key.
// registryHosts are container registries' host names, spelt in pieces so that
// this file does not contain them either.
var registryHosts = func() []string {
	var hosts []string
	for _, h := range [][]string{
		{"docker", "io"}, {"gcr", "io"}, {"ghcr", "io"}, {"quay", "io"}, {"registry", "k8s", "io"},
		{"mcr", "microsoft", "com"}, {"public", "ecr", "aws"}, {"azurecr", "io"}, {"pkg", "dev"},
	} {
		hosts = append(hosts, strings.Join(h, "."))
	}
	return hosts
}()

var (
	urlPassword = regexp.MustCompile(`://([^:/@\s]+):([^@\s]+)@`)
	assignment  = regexp.MustCompile(`(?i)([A-Z_]*(?:PASSWORD|PASSWD|SECRET)[A-Z_]*)[ \t]*[:=][ \t]*["']?([^\s"'#,]*)`)
	apiKeyText  = regexp.MustCompile(`hcr_[A-Za-z0-9]{8,}`)
	composeVar  = regexp.MustCompile(`\$\{[A-Z_]+:-([^}]*)\}`)
)

func placeholder(p string) bool {
	p = strings.ToLower(p)
	return p == "" || strings.Contains(p, "change-me") || strings.Contains(p, "dev-only") || strings.HasPrefix(p, "${")
}

func TestDeployNoRegistryHostsOrSecrets(t *testing.T) {
	err := filepath.WalkDir(deployDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(data)
		for _, h := range registryHosts {
			if strings.Contains(strings.ToLower(text), h) {
				t.Errorf("%s names the registry host %s", path, h)
			}
		}
		expanded := composeVar.ReplaceAllString(text, "$1") // compose's defaults in place
		for _, m := range urlPassword.FindAllStringSubmatch(expanded, -1) {
			if !placeholder(m[2]) {
				t.Errorf("%s: a URL with a real-looking password: %s", path, m[0])
			}
		}
		for _, m := range assignment.FindAllStringSubmatch(expanded, -1) {
			if !placeholder(m[2]) {
				t.Errorf("%s: %s is given a real-looking value: %s", path, m[1], m[0])
			}
		}
		if apiKeyText.MatchString(text) {
			t.Errorf("%s holds what looks like an API key", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
