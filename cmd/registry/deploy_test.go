package main

// Checks of deploy/: the container image, compose, Kubernetes and systemd
// files must parse, agree with each other and with this binary. Above all,
// the binary must start with the very environment and arguments each of them
// gives it (on SQLite in a temporary directory instead of PostgreSQL).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	yamlv2 "gopkg.in/yaml.v2"
	"sigs.k8s.io/yaml"
)

const deployDir = "../../deploy"

// The image name every manifest runs, with no registry host in it.
const deployImage = "hanoi-creative-registry:latest"

// yamlDocuments parses every document of a YAML file, strictly (a duplicate
// key is an error), and returns each as JSON; empty documents are skipped.
func yamlDocuments(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yamlv2.NewDecoder(bytes.NewReader(data))
	dec.SetStrict(true)
	var docs [][]byte
	for i := 0; ; i++ {
		var doc any
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("%s: document %d: %v", path, i, err)
		}
		if doc == nil {
			continue
		}
		y, err := yamlv2.Marshal(doc)
		if err != nil {
			t.Fatalf("%s: document %d: %v", path, i, err)
		}
		j, err := yaml.YAMLToJSON(y)
		if err != nil {
			t.Fatalf("%s: document %d: %v", path, i, err)
		}
		docs = append(docs, j)
	}
	if len(docs) == 0 {
		t.Fatalf("%s: no YAML document", path)
	}
	return docs
}

func decodeJSON(t *testing.T, what string, j []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(j, v); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// deployFiles lists every file under deploy/, relative to it.
func deployFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(deployDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(deployDir, path)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func readDeploy(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(deployDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Kubernetes objects, as far as the checks need them.

type k8sMeta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

type k8sObject struct {
	APIVersion string          `json:"apiVersion"`
	Kind       string          `json:"kind"`
	Metadata   k8sMeta         `json:"metadata"`
	Spec       json.RawMessage `json:"spec"`
	Data       json.RawMessage `json:"data"`
	StringData json.RawMessage `json:"stringData"`
	Resources  []string        `json:"resources"` // a Kustomization's
	Namespace  string          `json:"namespace"` // a Kustomization's
}

type k8sSecurityContext struct {
	RunAsNonRoot             *bool  `json:"runAsNonRoot"`
	RunAsUser                *int64 `json:"runAsUser"`
	AllowPrivilegeEscalation *bool  `json:"allowPrivilegeEscalation"`
	ReadOnlyRootFilesystem   *bool  `json:"readOnlyRootFilesystem"`
	Capabilities             *struct {
		Drop []string `json:"drop"`
	} `json:"capabilities"`
	SeccompProfile *struct {
		Type string `json:"type"`
	} `json:"seccompProfile"`
}

type k8sProbe struct {
	HTTPGet *struct {
		Path string          `json:"path"`
		Port json.RawMessage `json:"port"`
	} `json:"httpGet"`
	Exec json.RawMessage `json:"exec"`
}

type k8sPort struct {
	Name          string `json:"name"`
	ContainerPort int    `json:"containerPort"`
}

type k8sContainer struct {
	Name    string    `json:"name"`
	Image   string    `json:"image"`
	Command []string  `json:"command"`
	Args    []string  `json:"args"`
	Ports   []k8sPort `json:"ports"`
	EnvFrom []struct {
		ConfigMapRef *struct {
			Name string `json:"name"`
		} `json:"configMapRef"`
		SecretRef *struct {
			Name string `json:"name"`
		} `json:"secretRef"`
	} `json:"envFrom"`
	Env []struct {
		Name      string          `json:"name"`
		Value     string          `json:"value"`
		ValueFrom json.RawMessage `json:"valueFrom"`
	} `json:"env"`
	LivenessProbe  *k8sProbe `json:"livenessProbe"`
	ReadinessProbe *k8sProbe `json:"readinessProbe"`
	StartupProbe   *k8sProbe `json:"startupProbe"`
	Lifecycle      *struct {
		PreStop *struct {
			Sleep *struct {
				Seconds int `json:"seconds"`
			} `json:"sleep"`
			Exec json.RawMessage `json:"exec"`
		} `json:"preStop"`
	} `json:"lifecycle"`
	Resources struct {
		Requests map[string]any `json:"requests"`
		Limits   map[string]any `json:"limits"`
	} `json:"resources"`
	SecurityContext *k8sSecurityContext `json:"securityContext"`
}

type k8sPodTemplate struct {
	Metadata k8sMeta `json:"metadata"`
	Spec     struct {
		TerminationGracePeriodSeconds *int                `json:"terminationGracePeriodSeconds"`
		RestartPolicy                 string              `json:"restartPolicy"`
		SecurityContext               *k8sSecurityContext `json:"securityContext"`
		Containers                    []k8sContainer      `json:"containers"`
	} `json:"spec"`
}

// k8sManifests is every object in deploy/kubernetes/*.yaml, by file.
type k8sManifests struct {
	byFile map[string][]k8sObject
}

func loadKubernetes(t *testing.T) k8sManifests {
	t.Helper()
	m := k8sManifests{byFile: map[string][]k8sObject{}}
	paths, _ := filepath.Glob(filepath.Join(deployDir, "kubernetes", "*.yaml"))
	if len(paths) == 0 {
		t.Fatal("no deploy/kubernetes/*.yaml")
	}
	for _, p := range paths {
		for i, j := range yamlDocuments(t, p) {
			var o k8sObject
			decodeJSON(t, fmt.Sprintf("%s: document %d", p, i), j, &o)
			m.byFile[filepath.Base(p)] = append(m.byFile[filepath.Base(p)], o)
		}
	}
	return m
}

// one returns the only object of a kind and name, from the files kustomize applies
// unless file is given.
func (m k8sManifests) one(t *testing.T, file, kind, name string) k8sObject {
	t.Helper()
	var found []k8sObject
	for f, objs := range m.byFile {
		if (file == "" && f != "secret.example.yaml") || f == file {
			for _, o := range objs {
				if o.Kind == kind && o.Metadata.Name == name {
					found = append(found, o)
				}
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one %s %q in deploy/kubernetes, found %d", kind, name, len(found))
	}
	return found[0]
}

// listenPort is the port of a LISTEN_ADDR value, 8080 (the binary's default) when empty.
func listenPort(t *testing.T, addr string) int {
	t.Helper()
	if addr == "" {
		addr = ":8080"
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("LISTEN_ADDR %q: %v", addr, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatalf("LISTEN_ADDR %q: %v", addr, err)
	}
	return n
}

// containerPort resolves a probe's or Service's port, a number or a port name.
func containerPort(t *testing.T, c k8sContainer, raw json.RawMessage) int {
	t.Helper()
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return n
	}
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		t.Fatalf("port %s: %v", raw, err)
	}
	for _, p := range c.Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	t.Fatalf("container %s has no port named %q", c.Name, name)
	return 0
}

func TestDeployYAMLParses(t *testing.T) {
	var yamlFiles []string
	for _, rel := range deployFiles(t) {
		if strings.HasSuffix(rel, ".yaml") || strings.HasSuffix(rel, ".yml") {
			yamlFiles = append(yamlFiles, rel)
		}
	}
	if !slices.Contains(yamlFiles, "compose.yaml") || !slices.Contains(yamlFiles, "kubernetes/kustomization.yaml") {
		t.Fatalf("YAML files under deploy/: %v", yamlFiles)
	}
	for _, rel := range yamlFiles {
		docs := yamlDocuments(t, filepath.Join(deployDir, rel))
		if !strings.HasPrefix(rel, "kubernetes/") {
			continue
		}
		for i, j := range docs {
			var o k8sObject
			decodeJSON(t, rel, j, &o)
			if o.APIVersion == "" || o.Kind == "" || (o.Metadata.Name == "" && o.Kind != "Kustomization") {
				t.Errorf("%s: document %d lacks apiVersion, kind or metadata.name: %s", rel, i, j)
			}
		}
	}

	// kustomize applies every manifest but the example Secret, each once.
	m := loadKubernetes(t)
	k := m.byFile["kustomization.yaml"]
	if len(k) != 1 || k[0].Kind != "Kustomization" {
		t.Fatalf("kustomization.yaml: %+v", k)
	}
	var want []string
	for f := range m.byFile {
		if f != "kustomization.yaml" && f != "secret.example.yaml" {
			want = append(want, f)
		}
	}
	got := slices.Clone(k[0].Resources)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("kustomization.yaml resources %v, want %v (all but secret.example.yaml)", got, want)
	}
	ns := m.one(t, "", "Namespace", k[0].Namespace)
	if secret := m.one(t, "secret.example.yaml", "Secret", "registry"); secret.Metadata.Namespace != ns.Metadata.Name {
		t.Errorf("secret.example.yaml is in namespace %q, the rest in %q", secret.Metadata.Namespace, ns.Metadata.Name)
	}
}

func TestDeployKubernetesManifests(t *testing.T) {
	m := loadKubernetes(t)
	var config struct{ Data map[string]string } // all values must be strings
	decodeJSON(t, "ConfigMap registry-config", mustJSON(t, m.one(t, "", "ConfigMap", "registry-config")), &config)
	port := listenPort(t, config.Data["LISTEN_ADDR"])
	if port != 8080 {
		t.Errorf("LISTEN_ADDR port %d, the image EXPOSEs 8080", port)
	}

	var deploy struct {
		Replicas *int `json:"replicas"`
		Selector struct {
			MatchLabels map[string]string `json:"matchLabels"`
		} `json:"selector"`
		Template k8sPodTemplate `json:"template"`
	}
	d := m.one(t, "", "Deployment", "registry")
	decodeJSON(t, "Deployment", d.Spec, &deploy)
	if deploy.Replicas == nil || *deploy.Replicas != 3 {
		t.Errorf("Deployment replicas %v, want 3", deploy.Replicas)
	}
	pod := deploy.Template
	if !isSubset(deploy.Selector.MatchLabels, pod.Metadata.Labels) || len(deploy.Selector.MatchLabels) == 0 {
		t.Errorf("Deployment selector %v does not select its pods %v", deploy.Selector.MatchLabels, pod.Metadata.Labels)
	}
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("Deployment: %d containers, want 1", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	checkContainer(t, "Deployment", pod, c, []string{"serve"})
	if !slices.ContainsFunc(c.Ports, func(p k8sPort) bool { return p.ContainerPort == port }) {
		t.Errorf("Deployment container ports %+v lack LISTEN_ADDR's %d", c.Ports, port)
	}
	for _, p := range []struct {
		name  string
		probe *k8sProbe
		paths []string
	}{
		{"readinessProbe", c.ReadinessProbe, []string{"/readyz"}},
		{"livenessProbe", c.LivenessProbe, []string{"/healthz"}},
		{"startupProbe", c.StartupProbe, []string{"/healthz", "/readyz"}},
	} {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("Deployment: no HTTP %s (the image has no shell for exec probes)", p.name)
			continue
		}
		if !slices.Contains(p.paths, p.probe.HTTPGet.Path) {
			t.Errorf("Deployment %s: path %q, want one of %v", p.name, p.probe.HTTPGet.Path, p.paths)
		}
		if got := containerPort(t, c, p.probe.HTTPGet.Port); got != port {
			t.Errorf("Deployment %s: port %d, the server listens on %d", p.name, got, port)
		}
	}
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && len(c.Lifecycle.PreStop.Exec) > 0 {
		t.Error("Deployment: a preStop exec hook cannot run in a scratch image (no shell, no sleep)")
	}
	// SIGTERM comes after any preStop pause; serve then takes up to --shutdown-timeout.
	grace := 30
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		grace += c.Lifecycle.PreStop.Sleep.Seconds
	}
	if g := pod.Spec.TerminationGracePeriodSeconds; g == nil || *g <= grace {
		t.Errorf("Deployment terminationGracePeriodSeconds: want more than %ds", grace)
	}
	if a := pod.Metadata.Annotations; a["prometheus.io/scrape"] != "true" || a["prometheus.io/path"] != "/metrics" || a["prometheus.io/port"] != strconv.Itoa(port) {
		t.Errorf("Deployment prometheus.io annotations %v", a)
	}
	if fmt.Sprint(c.Resources.Limits["memory"]) != "256Mi" || c.Resources.Limits["cpu"] == nil ||
		c.Resources.Requests["memory"] == nil || c.Resources.Requests["cpu"] == nil {
		t.Errorf("Deployment resources %+v", c.Resources)
	}

	var job struct {
		BackoffLimit            *int           `json:"backoffLimit"`
		TTLSecondsAfterFinished *int           `json:"ttlSecondsAfterFinished"`
		Template                k8sPodTemplate `json:"template"`
	}
	decodeJSON(t, "Job", m.one(t, "", "Job", "registry-migrate").Spec, &job)
	if job.BackoffLimit == nil || job.TTLSecondsAfterFinished == nil {
		t.Error("Job registry-migrate lacks backoffLimit or ttlSecondsAfterFinished")
	}
	if rp := job.Template.Spec.RestartPolicy; rp != "Never" && rp != "OnFailure" {
		t.Errorf("Job restartPolicy %q", rp)
	}
	if len(job.Template.Spec.Containers) != 1 {
		t.Fatalf("Job: %d containers, want 1", len(job.Template.Spec.Containers))
	}
	checkContainer(t, "Job", job.Template, job.Template.Spec.Containers[0], []string{"migrate"})

	// Both read the ConfigMap and the Secret that secret.example.yaml describes.
	secret := m.one(t, "secret.example.yaml", "Secret", "registry")
	for what, c := range map[string]k8sContainer{"Deployment": c, "Job": job.Template.Spec.Containers[0]} {
		var cms, secrets []string
		for _, e := range c.EnvFrom {
			if e.ConfigMapRef != nil {
				cms = append(cms, e.ConfigMapRef.Name)
			}
			if e.SecretRef != nil {
				secrets = append(secrets, e.SecretRef.Name)
			}
		}
		if !slices.Equal(cms, []string{"registry-config"}) || !slices.Equal(secrets, []string{secret.Metadata.Name}) {
			t.Errorf("%s envFrom: ConfigMaps %v, Secrets %v", what, cms, secrets)
		}
	}

	var svc struct {
		Type     string            `json:"type"`
		Selector map[string]string `json:"selector"`
		Ports    []struct {
			Port       int             `json:"port"`
			TargetPort json.RawMessage `json:"targetPort"`
		} `json:"ports"`
	}
	decodeJSON(t, "Service", m.one(t, "", "Service", "registry").Spec, &svc)
	if svc.Type != "ClusterIP" || len(svc.Ports) != 1 || svc.Ports[0].Port != 80 || containerPort(t, c, svc.Ports[0].TargetPort) != port {
		t.Errorf("Service: type %s, ports %d, want ClusterIP 80 → %d", svc.Type, len(svc.Ports), port)
	}
	if !isSubset(svc.Selector, pod.Metadata.Labels) || len(svc.Selector) == 0 {
		t.Errorf("Service selector %v does not select the Deployment's pods %v", svc.Selector, pod.Metadata.Labels)
	}

	hpa := m.one(t, "", "HorizontalPodAutoscaler", "registry")
	var h struct {
		ScaleTargetRef struct{ APIVersion, Kind, Name string } `json:"scaleTargetRef"`
		MinReplicas    int                                     `json:"minReplicas"`
		MaxReplicas    int                                     `json:"maxReplicas"`
		Metrics        []struct {
			Type     string `json:"type"`
			Resource struct {
				Name   string `json:"name"`
				Target struct {
					Type               string `json:"type"`
					AverageUtilization int    `json:"averageUtilization"`
				} `json:"target"`
			} `json:"resource"`
		} `json:"metrics"`
	}
	decodeJSON(t, "HorizontalPodAutoscaler", hpa.Spec, &h)
	if hpa.APIVersion != "autoscaling/v2" || h.ScaleTargetRef.Kind != "Deployment" || h.ScaleTargetRef.Name != "registry" ||
		h.MinReplicas != 2 || h.MaxReplicas != 10 || len(h.Metrics) != 1 ||
		h.Metrics[0].Resource.Name != "cpu" || h.Metrics[0].Resource.Target.AverageUtilization != 70 {
		t.Errorf("HorizontalPodAutoscaler %s: %+v", hpa.APIVersion, h)
	}

	for _, objs := range m.byFile {
		for _, o := range objs {
			if o.Kind != "PodDisruptionBudget" {
				continue
			}
			var pdb struct {
				Selector struct {
					MatchLabels map[string]string `json:"matchLabels"`
				} `json:"selector"`
			}
			decodeJSON(t, "PodDisruptionBudget", o.Spec, &pdb)
			if !isSubset(pdb.Selector.MatchLabels, pod.Metadata.Labels) || len(pdb.Selector.MatchLabels) == 0 {
				t.Errorf("PodDisruptionBudget %s selects %v, not the Deployment's pods", o.Metadata.Name, pdb.Selector.MatchLabels)
			}
		}
	}
}

func mustJSON(t *testing.T, o k8sObject) []byte {
	t.Helper()
	j, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func isSubset(sub, of map[string]string) bool {
	for k, v := range sub {
		if of[k] != v {
			return false
		}
	}
	return true
}

// checkContainer checks what the Deployment's and the Job's containers share:
// the image, arguments to the image's ENTRYPOINT, and the restricted security settings.
func checkContainer(t *testing.T, what string, pod k8sPodTemplate, c k8sContainer, args []string) {
	t.Helper()
	if c.Image != deployImage {
		t.Errorf("%s image %q, want %q", what, c.Image, deployImage)
	}
	if len(c.Command) > 0 || !slices.Equal(c.Args, args) {
		t.Errorf("%s: command %q args %q, want no command (the image's ENTRYPOINT /registry) and args %q", what, c.Command, c.Args, args)
	}
	pc, cc := pod.Spec.SecurityContext, c.SecurityContext
	if pc == nil {
		pc = &k8sSecurityContext{}
	}
	if cc == nil {
		cc = &k8sSecurityContext{}
	}
	isTrue := func(b *bool) bool { return b != nil && *b }
	isFalse := func(b *bool) bool { return b != nil && !*b }
	if !isTrue(cc.RunAsNonRoot) && !isTrue(pc.RunAsNonRoot) {
		t.Errorf("%s: runAsNonRoot is not set", what)
	}
	for _, uid := range []*int64{pc.RunAsUser, cc.RunAsUser} {
		if uid != nil && *uid == 0 {
			t.Errorf("%s runs as root", what)
		}
	}
	if !isTrue(cc.ReadOnlyRootFilesystem) || !isFalse(cc.AllowPrivilegeEscalation) ||
		cc.Capabilities == nil || !slices.Contains(cc.Capabilities.Drop, "ALL") {
		t.Errorf("%s container securityContext: want readOnlyRootFilesystem, no privilege escalation, capabilities dropped", what)
	}
	if sp := firstNonNil(cc.SeccompProfile, pc.SeccompProfile); sp == nil || sp.Type != "RuntimeDefault" {
		t.Errorf("%s: seccompProfile is not RuntimeDefault", what)
	}
}

func firstNonNil[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
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

// runWithEnv runs the binary's run with vars as its environment and reports which
// variables it read.
func runWithEnv(ctx context.Context, vars map[string]string, args []string) (read map[string]bool, log *bytes.Buffer, err error) {
	env, _, errOut := testEnv(vars)
	var mu sync.Mutex
	read = map[string]bool{}
	getenv := env.getenv
	env.getenv = func(k string) string {
		mu.Lock()
		read[k] = true
		mu.Unlock()
		return getenv(k)
	}
	err = run(ctx, env, args)
	mu.Lock()
	defer mu.Unlock()
	return maps.Clone(read), errOut, err
}

// startsWith runs migrateArgs, then serveArgs with vars as the environment (but
// SQLite in a temporary directory for the database and a free loopback port),
// waits for /readyz to say 200, stops the server as SIGTERM would and checks
// that it shut down cleanly. Every variable in vars must be one the binary reads.
func startsWith(t *testing.T, vars map[string]string, migrateArgs, serveArgs []string) {
	t.Helper()
	vars = maps.Clone(vars)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "registry.db")
	for _, k := range []string{"DATABASE_URL", "DATABASE_READ_URL"} {
		if _, ok := vars[k]; ok || k == "DATABASE_URL" {
			vars[k] = dsn
		}
	}
	addr := freeAddr(t)
	vars["LISTEN_ADDR"] = addr
	read := map[string]bool{}

	if migrateArgs != nil {
		r, log, err := runWithEnv(context.Background(), vars, migrateArgs)
		if err != nil {
			t.Fatalf("registry %s: %v\n%s", strings.Join(migrateArgs, " "), err, log)
		}
		maps.Copy(read, r)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		err  error
		read map[string]bool
		log  *bytes.Buffer
	}
	done := make(chan result, 1)
	go func() {
		r, log, err := runWithEnv(ctx, vars, serveArgs)
		done <- result{err, r, log}
	}()
	client := &http.Client{Timeout: 2 * time.Second}
	get := func(path string) int {
		res, err := client.Get("http://" + addr + path)
		if err != nil {
			return 0
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	deadline := time.Now().Add(20 * time.Second)
	for get("/readyz") != http.StatusOK {
		select {
		case r := <-done:
			t.Fatalf("registry %s exited before /readyz said 200: %v\n%s", strings.Join(serveArgs, " "), r.err, r.log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("registry %s: /readyz did not say 200 within 20s", strings.Join(serveArgs, " "))
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, path := range []string{"/healthz", "/metrics"} {
		if code := get(path); code != http.StatusOK {
			t.Errorf("GET %s: %d", path, code)
		}
	}
	cancel() // as SIGTERM does
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("registry %s: %v\n%s", strings.Join(serveArgs, " "), r.err, r.log)
		}
		if !strings.Contains(r.log.String(), "shutting down") {
			t.Errorf("no graceful shutdown in the log:\n%s", r.log)
		}
		maps.Copy(read, r.read)
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down within 15s")
	}
	for k := range vars {
		// The Go runtime reads GO* variables (GOMEMLIMIT, GOMAXPROCS) itself.
		if !read[k] && !strings.HasPrefix(k, "GO") {
			t.Errorf("%s is set, but the binary does not read it (a typo, or a setting not implemented yet?)", k)
		}
	}
}

func TestDeployEnvironmentStartsTheBinary(t *testing.T) {
	t.Run("kubernetes", func(t *testing.T) {
		m := loadKubernetes(t)
		vars := map[string]string{}
		var config struct{ Data map[string]string }
		decodeJSON(t, "ConfigMap", mustJSON(t, m.one(t, "", "ConfigMap", "registry-config")), &config)
		maps.Copy(vars, config.Data)
		var secret struct {
			Data       map[string]string `json:"data"`
			StringData map[string]string `json:"stringData"`
		}
		decodeJSON(t, "Secret", mustJSON(t, m.one(t, "secret.example.yaml", "Secret", "registry")), &secret)
		if _, ok := secret.StringData["DATABASE_URL"]; !ok {
			t.Fatal("secret.example.yaml has no DATABASE_URL")
		}
		for k := range maps.Keys(secret.Data) {
			t.Errorf("secret.example.yaml: %s under data (base64): use stringData, with a placeholder", k)
		}
		maps.Copy(vars, secret.StringData)

		containers := map[string]k8sContainer{}
		for kind, name := range map[string]string{"Deployment": "registry", "Job": "registry-migrate"} {
			var spec struct{ Template k8sPodTemplate }
			decodeJSON(t, kind, m.one(t, "", kind, name).Spec, &spec)
			if len(spec.Template.Spec.Containers) != 1 {
				t.Fatalf("%s: want one container", kind)
			}
			c := spec.Template.Spec.Containers[0]
			containers[kind] = c
			for _, e := range c.Env {
				if len(e.ValueFrom) > 0 {
					t.Fatalf("%s env %s: valueFrom is not checked here", kind, e.Name)
				}
				vars[e.Name] = e.Value
			}
		}
		startsWith(t, vars, containers["Job"].Args, containers["Deployment"].Args)
	})

	t.Run("compose", func(t *testing.T) {
		c := loadCompose(t)
		reg, mig := c.Services["registry"], c.Services["migrate"]
		vars := interpolateAll(t, reg.Environment)
		// The published container port is LISTEN_ADDR's.
		port := listenPort(t, vars["LISTEN_ADDR"])
		var published []int
		for _, p := range reg.Ports {
			p = strings.TrimSuffix(interpolate(t, p), "/tcp")
			n, err := strconv.Atoi(p[strings.LastIndex(p, ":")+1:])
			if err != nil {
				t.Fatalf("ports: %q", p)
			}
			published = append(published, n)
		}
		if !slices.Equal(published, []int{port}) {
			t.Errorf("compose registry publishes container ports %v, LISTEN_ADDR says %d", published, port)
		}
		migVars := interpolateAll(t, mig.Environment)
		if migVars["DATABASE_URL"] != vars["DATABASE_URL"] || !strings.HasPrefix(vars["DATABASE_URL"], "postgres://") ||
			!strings.Contains(vars["DATABASE_URL"], "@postgres:5432/") {
			t.Errorf("compose DATABASE_URL: migrate %q, registry %q", migVars["DATABASE_URL"], vars["DATABASE_URL"])
		}
		startsWith(t, vars, mig.Command, reg.Command)
	})

	t.Run("systemd", func(t *testing.T) {
		unit := loadUnit(t)
		vars := loadEnvFile(t, "systemd/registry.env.example")
		if !strings.HasPrefix(vars["DATABASE_URL"], "postgres://") {
			t.Errorf("registry.env.example DATABASE_URL %q", vars["DATABASE_URL"])
		}
		startsWith(t, vars, execArgs(t, unit, "ExecStartPre"), execArgs(t, unit, "ExecStart"))
	})
}

// Compose.

type composeService struct {
	Image string `json:"image"`
	Build *struct {
		Context    string `json:"context"`
		Dockerfile string `json:"dockerfile"`
	} `json:"build"`
	PullPolicy  string            `json:"pull_policy"`
	Command     []string          `json:"command"`
	Environment map[string]string `json:"environment"`
	DependsOn   map[string]struct {
		Condition string `json:"condition"`
	} `json:"depends_on"`
	Ports       []string `json:"ports"`
	User        string   `json:"user"`
	ReadOnly    bool     `json:"read_only"`
	Restart     string   `json:"restart"`
	Healthcheck *struct {
		Test []string `json:"test"`
	} `json:"healthcheck"`
	Volumes []string `json:"volumes"`
}

type composeFile struct {
	Services map[string]composeService `json:"services"`
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	docs := yamlDocuments(t, filepath.Join(deployDir, "compose.yaml"))
	if len(docs) != 1 {
		t.Fatalf("compose.yaml: %d documents", len(docs))
	}
	var c composeFile
	decodeJSON(t, "compose.yaml", docs[0], &c)
	return c
}

var composeVar = regexp.MustCompile(`\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))`)

// interpolate expands ${NAME:-default} and the like as compose does when none
// of the variables is set (no deploy/.env): the defaults are what a fresh
// "docker compose up" runs with. A required variable (${NAME:?message}) is an
// error.
func interpolate(t *testing.T, s string) string {
	t.Helper()
	out, err := interpolateErr(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func interpolateErr(s string) (string, error) {
	var err error
	out := composeVar.ReplaceAllStringFunc(s, func(m string) string {
		g := composeVar.FindStringSubmatch(m)
		switch {
		case g[1] == "$":
			return "$"
		case g[5] != "": // $NAME
			return ""
		}
		switch g[3] {
		case "-", ":-":
			return g[4]
		case "?", ":?":
			err = fmt.Errorf("compose: %s must be set: %s", g[2], g[4])
		}
		return "" // unset, or ${NAME:+alt}
	})
	return out, err
}

func interpolateAll(t *testing.T, env map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range env {
		out[k] = interpolate(t, v)
	}
	return out
}

func TestDeployCompose(t *testing.T) {
	c := loadCompose(t)
	pg, mig, reg := c.Services["postgres"], c.Services["migrate"], c.Services["registry"]
	if pg.Image != "postgres:15-alpine" || pg.Healthcheck == nil || !strings.Contains(strings.Join(pg.Healthcheck.Test, " "), "pg_isready") || len(pg.Volumes) == 0 {
		t.Errorf("postgres service: %+v", pg)
	}
	if mig.Build == nil || mig.Build.Dockerfile != "deploy/Dockerfile" {
		t.Fatalf("migrate service must build deploy/Dockerfile: %+v", mig.Build)
	}
	if _, err := os.Stat(filepath.Join(deployDir, mig.Build.Context, mig.Build.Dockerfile)); err != nil {
		t.Errorf("build context %q and dockerfile %q: %v", mig.Build.Context, mig.Build.Dockerfile, err)
	}
	if _, err := os.Stat(filepath.Join(deployDir, mig.Build.Context, "go.mod")); err != nil {
		t.Errorf("build context %q is not the repository root: %v", mig.Build.Context, err)
	}
	if mig.Image != deployImage || reg.Image != deployImage || reg.Build != nil {
		t.Errorf("images: migrate %q, registry %q (registry must reuse migrate's build)", mig.Image, reg.Image)
	}
	if !slices.Equal(mig.Command, []string{"migrate"}) || mig.Restart != "no" || mig.DependsOn["postgres"].Condition != "service_healthy" {
		t.Errorf("migrate service: command %q restart %q depends_on %+v", mig.Command, mig.Restart, mig.DependsOn)
	}
	if !slices.Equal(reg.Command, []string{"serve"}) || reg.Restart != "unless-stopped" ||
		reg.DependsOn["migrate"].Condition != "service_completed_successfully" {
		t.Errorf("registry service: command %q restart %q depends_on %+v", reg.Command, reg.Restart, reg.DependsOn)
	}
	for name, s := range map[string]composeService{"migrate": mig, "registry": reg} {
		if !s.ReadOnly || !strings.HasPrefix(s.User, "65532") {
			t.Errorf("%s service: read_only %v, user %q", name, s.ReadOnly, s.User)
		}
	}
	// The development password is the default only; deploy/.env overrides it.
	if !strings.Contains(pg.Environment["POSTGRES_PASSWORD"], "${POSTGRES_PASSWORD") {
		t.Errorf("POSTGRES_PASSWORD %q must come from deploy/.env (with a development-only default at most)", pg.Environment["POSTGRES_PASSWORD"])
	}
}

// systemd.

// loadUnit reads registry.service's directives (a directive may repeat).
func loadUnit(t *testing.T) map[string][]string {
	t.Helper()
	unit := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(readDeploy(t, "systemd/registry.service")))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' || line[0] == '[' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("registry.service: %q", line)
		}
		unit[strings.TrimSpace(k)] = append(unit[strings.TrimSpace(k)], strings.TrimSpace(v))
	}
	return unit
}

// execArgs returns the arguments of the unit's only ExecStart or ExecStartPre,
// which must run /usr/local/bin/registry.
func execArgs(t *testing.T, unit map[string][]string, key string) []string {
	t.Helper()
	if len(unit[key]) != 1 {
		t.Fatalf("registry.service: %d %s lines, want 1", len(unit[key]), key)
	}
	f := strings.Fields(strings.TrimLeft(unit[key][0], "-@:+!"))
	if len(f) < 2 || f[0] != "/usr/local/bin/registry" {
		t.Fatalf("registry.service %s=%s", key, unit[key][0])
	}
	return f[1:]
}

// loadEnvFile reads a systemd EnvironmentFile: NAME=value lines, # or ; comments.
func loadEnvFile(t *testing.T, rel string) map[string]string {
	t.Helper()
	vars := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(readDeploy(t, rel)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: %q is not NAME=value", rel, line)
		}
		vars[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return vars
}

func TestDeploySystemdUnit(t *testing.T) {
	unit := loadUnit(t)
	for _, key := range []string{"ExecStartPre", "ExecStart"} {
		args := execArgs(t, unit, key)
		env, _, errOut := testEnv(nil)
		if err := run(context.Background(), env, append(slices.Clone(args), "--help")); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%s: registry %s is not a subcommand: %v\n%s", key, strings.Join(args, " "), err, errOut)
		}
	}
	if got := execArgs(t, unit, "ExecStart"); !slices.Equal(got, []string{"serve"}) {
		t.Errorf("ExecStart runs %q, want serve", got)
	}
	if got := execArgs(t, unit, "ExecStartPre"); !slices.Equal(got, []string{"migrate"}) {
		t.Errorf("ExecStartPre runs %q, want migrate", got)
	}
	for k, want := range map[string]string{
		"User":             "registry",
		"EnvironmentFile":  "/etc/registry/registry.env",
		"Restart":          "on-failure",
		"KillSignal":       "SIGTERM",
		"NoNewPrivileges":  "yes",
		"ProtectSystem":    "strict",
		"ProtectHome":      "yes",
		"PrivateTmp":       "yes",
		"StateDirectory":   "registry",
		"WorkingDirectory": "/var/lib/registry",
		"ReadWritePaths":   "/var/lib/registry",
	} {
		if !slices.Equal(unit[k], []string{want}) {
			t.Errorf("registry.service %s=%q, want %q", k, unit[k], want)
		}
	}
	if s, err := strconv.Atoi(strings.Join(unit["TimeoutStopSec"], "")); err != nil || s <= 30 {
		t.Errorf("TimeoutStopSec=%q: want more seconds than serve's 30s shutdown timeout", unit["TimeoutStopSec"])
	}
}

// The Dockerfile.

func TestDeployDockerfile(t *testing.T) {
	_ = buildVersion // the Dockerfile sets it with -X main.buildVersion
	text := readDeploy(t, "Dockerfile")
	// Instructions, with continuation lines joined and comments dropped.
	var instrs [][2]string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		op, arg, _ := strings.Cut(cur.String(), " ")
		instrs = append(instrs, [2]string{strings.ToUpper(op), strings.TrimSpace(arg)})
		cur.Reset()
	}
	var stages [][][2]string
	for _, in := range instrs {
		if in[0] == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			if in[0] != "ARG" {
				t.Fatalf("Dockerfile: %s before FROM", in[0])
			}
			continue
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	if len(stages) < 2 {
		t.Fatalf("Dockerfile: %d stages, want a build stage and a final one", len(stages))
	}
	for _, st := range stages {
		image := ""
		for _, f := range strings.Fields(st[0][1]) {
			if !strings.HasPrefix(f, "--") {
				image = f
				break
			}
		}
		if first, _, hasSlash := strings.Cut(image, "/"); hasSlash && (strings.ContainsAny(first, ".:") || first == "localhost") {
			t.Errorf("Dockerfile: FROM %s names a registry host", image)
		}
	}
	build, final := stages[0], stages[len(stages)-1]
	if img := strings.Fields(build[0][1]); !slices.Contains(img, "golang:1.26-bookworm") {
		t.Errorf("build stage FROM %s, want golang:1.26-bookworm", build[0][1])
	}
	goMod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^go 1\.26(\.\d+)?$`).Match(goMod) {
		t.Error("go.mod's go version is not 1.26.x: update golang:1.26-bookworm in deploy/Dockerfile")
	}
	buildText := fmt.Sprint(build)
	for _, want := range []string{"COPY go.mod go.sum ./", "go mod download", "CGO_ENABLED=0", "go build -trimpath", "-X main.buildVersion=${VERSION}", "./cmd/registry"} {
		if !strings.Contains(buildText, want) {
			t.Errorf("build stage lacks %q", want)
		}
	}
	if strings.Index(buildText, "go mod download") > strings.Index(buildText, "COPY . .") {
		t.Error("go mod download must come before COPY . . (to be cached)")
	}

	if final[0][1] != "scratch" {
		t.Errorf("final stage FROM %q, want scratch", final[0][1])
	}
	var user, entrypoint, cmd, expose string
	var copies []string
	for _, in := range final {
		switch in[0] {
		case "USER":
			user = in[1]
		case "ENTRYPOINT":
			entrypoint = in[1]
		case "CMD":
			cmd = in[1]
		case "EXPOSE":
			expose = in[1]
		case "COPY":
			copies = append(copies, in[1])
		case "HEALTHCHECK", "RUN":
			t.Errorf("final stage: %s cannot run in scratch (no shell)", in[0])
		}
	}
	uid, gid, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 || gid == "0" {
		t.Errorf("final stage USER %q: want a numeric non-root uid:gid (Kubernetes' runAsNonRoot needs a number)", user)
	}
	if !strings.Contains(buildText, "registry:x:"+uid+":") {
		t.Errorf("the build stage writes no passwd entry for uid %s", uid)
	}
	for _, want := range []string{"/etc/ssl/certs/ca-certificates.crt", "/etc/passwd", "/etc/group", "/registry"} {
		if !slices.ContainsFunc(copies, func(c string) bool { return strings.HasSuffix(c, " "+want) }) {
			t.Errorf("final stage copies nothing to %s", want)
		}
	}
	if entrypoint != `["/registry"]` {
		t.Errorf("ENTRYPOINT %s", entrypoint)
	}
	var cmdArgs []string
	if err := json.Unmarshal([]byte(cmd), &cmdArgs); err != nil || !slices.Equal(cmdArgs, []string{"serve"}) {
		t.Errorf("CMD %s, want [\"serve\"]", cmd)
	}
	if expose != strconv.Itoa(listenPort(t, "")) {
		t.Errorf("EXPOSE %q, the binary listens on 8080 by default", expose)
	}
}

// No registry host names, no real-looking passwords.

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
	apiKey      = regexp.MustCompile(`hcr_[A-Za-z0-9]{8,}`)
)

// placeholder reports whether a password is an obvious stand-in.
func placeholder(p string) bool {
	p = strings.ToLower(p)
	return p == "" || strings.Contains(p, "change-me") || strings.Contains(p, "dev-only")
}

func TestDeployNoRegistryHostsOrSecrets(t *testing.T) {
	files := deployFiles(t)
	for _, want := range []string{"Dockerfile", "compose.yaml", "README.md", "systemd/registry.service"} {
		if !slices.Contains(files, want) {
			t.Errorf("deploy/%s is missing", want)
		}
	}
	for _, rel := range files {
		text := readDeploy(t, rel)
		lower := strings.ToLower(text)
		for _, h := range registryHosts {
			if strings.Contains(lower, h) {
				t.Errorf("deploy/%s names the registry host %s", rel, h)
			}
		}
		// As compose would see it without deploy/.env: defaults in place.
		expanded, _ := interpolateErr(text)
		for _, m := range urlPassword.FindAllStringSubmatch(expanded, -1) {
			if !placeholder(m[2]) {
				t.Errorf("deploy/%s: a URL with a real-looking password: %s", rel, m[0])
			}
		}
		for _, m := range assignment.FindAllStringSubmatch(expanded, -1) {
			if !placeholder(m[2]) {
				t.Errorf("deploy/%s: %s is given a real-looking value: %s", rel, m[1], m[0])
			}
		}
		if apiKey.MatchString(text) {
			t.Errorf("deploy/%s holds what looks like an API key", rel)
		}
	}
}
