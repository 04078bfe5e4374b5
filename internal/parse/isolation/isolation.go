// Package isolation decides how isolated a job's runner is, with one meaning on every
// platform: which runner labels (GitHub `runs-on`, GitLab tags, Jenkins agent labels)
// map to which isolation level, and which container settings undo a container's
// isolation (privileged mode, the Docker socket, the host's network or PID namespace).
package isolation

import (
	"regexp"
	"slices"
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
)

// githubHostedLabels are the exact `runs-on` labels of GitHub-hosted runners, lower case.
// Larger runners get custom names, which say nothing by themselves.
var githubHostedLabels = []string{
	"ubuntu-latest", "ubuntu-24.04", "ubuntu-22.04", "ubuntu-20.04",
	"ubuntu-24.04-arm", "ubuntu-22.04-arm", "ubuntu-latest-arm",
	"windows-latest", "windows-2025", "windows-2022", "windows-2019", "windows-11-arm",
	"macos-latest", "macos-26", "macos-15", "macos-14", "macos-13", "macos-12",
	"macos-latest-large", "macos-latest-xlarge", "macos-15-large", "macos-15-xlarge",
	"macos-14-large", "macos-14-xlarge", "macos-13-large", "macos-13-xlarge",
	"macos-15-intel", "macos-26-xlarge",
}

// IsGitHubHosted reports whether label names a GitHub-hosted runner, ignoring case
// (`Ubuntu-Latest` is one).
func IsGitHubHosted(label string) bool {
	return slices.Contains(githubHostedLabels, strings.ToLower(strings.TrimSpace(label)))
}

// Labels maps runner labels to isolation levels, from configuration. Keys are matched
// without regard to case; the key "*" applies to every label that no other key names.
type Labels map[string]string

// Lookup returns the isolation configured for a job with labels: the least isolated of
// the levels its labels map to (a job may land on any runner that has one of them). A
// label that is an expression (Jenkins `linux && docker`) is also looked up by each of
// its atoms. ok is false when nothing is configured for these labels.
func (l Labels) Lookup(labels []string) (isolation string, ok bool) {
	if len(l) == 0 {
		return "", false
	}
	lower := make(map[string]string, len(l))
	for k, v := range l {
		lower[strings.ToLower(k)] = v
	}
	for _, label := range labels {
		keys := []string{strings.ToLower(strings.TrimSpace(label))}
		keys = append(keys, labelAtoms(keys[0])...)
		for _, k := range keys {
			if iso, found := lower[k]; found {
				if !ok || Rank(iso) < Rank(isolation) {
					isolation, ok = iso, true
				}
				break
			}
		}
	}
	if !ok && len(labels) > 0 {
		isolation, ok = lower["*"]
	}
	return isolation, ok
}

// labelAtoms splits a Jenkins label expression (`linux && (docker || podman)`) into its
// labels; a plain label gives none.
func labelAtoms(expr string) []string {
	if !strings.ContainsAny(expr, "&|!() \t\n") {
		return nil
	}
	return strings.FieldsFunc(expr, func(r rune) bool { return strings.ContainsRune("&|!() \t\n", r) })
}

// Rank orders isolation levels from the least to the most isolated: none, unknown,
// ephemeral-vm, isolated.
func Rank(isolation string) int {
	switch isolation {
	case model.IsolationNone:
		return 0
	case model.IsolationEphemeral:
		return 2
	case model.IsolationIsolated:
		return 3
	}
	return 1
}

// KindFor returns the runner kind that goes with a configured isolation level.
func KindFor(isolation string) string {
	switch isolation {
	case model.IsolationIsolated:
		return model.RunnerContainer
	case model.IsolationEphemeral:
		return model.RunnerHosted
	case model.IsolationNone:
		return model.RunnerSelfHosted
	}
	return model.RunnerUnknown
}

// Escapes are the settings of a container that undo its isolation from the host.
type Escapes struct {
	Privileged   bool
	DockerSocket bool
	// HostNamespace is true for the host's network or PID namespace.
	HostNamespace bool
	// Found lists each setting as written, for messages.
	Found []string
}

// Any reports whether any escape was found.
func (e Escapes) Any() bool { return e.Privileged || e.DockerSocket || e.HostNamespace }

// Merge adds the escapes of o to e.
func (e *Escapes) Merge(o Escapes) {
	e.Privileged = e.Privileged || o.Privileged
	e.DockerSocket = e.DockerSocket || o.DockerSocket
	e.HostNamespace = e.HostNamespace || o.HostNamespace
	for _, f := range o.Found {
		if !slices.Contains(e.Found, f) {
			e.Found = append(e.Found, f)
		}
	}
}

// Apply records e on r; a container runner with any escape has isolation "none".
func (e Escapes) Apply(r *model.Runner) {
	r.Privileged = r.Privileged || e.Privileged
	r.MountsDockerSocket = r.MountsDockerSocket || e.DockerSocket
	r.HostNetwork = r.HostNetwork || e.HostNamespace
	for _, f := range e.Found {
		if !slices.Contains(r.Escapes, f) {
			r.Escapes = append(r.Escapes, f)
		}
	}
	if e.Any() && r.Isolation == model.IsolationIsolated {
		r.Isolation = model.IsolationNone
	}
}

// dockerSocket matches the Docker daemon's socket in a volume or mount specification.
var dockerSocket = regexp.MustCompile(`(?:^|[\s=:,"'])(?:/var)?/run/docker\.sock\b|\bdocker\.sock\b|\\\\\.\\pipe\\docker_engine`)

// DockerArgs reads `docker run`-style options (GitHub `container.options`, Jenkins
// `agent { docker { args … } }` and `.inside('…')`): `--privileged`, `--cap-add=ALL`,
// `--cap-add SYS_ADMIN`, `-v /var/run/docker.sock:…`, `--mount …docker.sock…`,
// `--network host`, `--net=host`, `--pid host`, `--userns host`.
func DockerArgs(args string) Escapes {
	var e Escapes
	fields := strings.Fields(args)
	for i := 0; i < len(fields); i++ {
		f := strings.Trim(fields[i], `'"`)
		name, value, hasValue := strings.Cut(f, "=")
		if !hasValue && i+1 < len(fields) && takesValue(name) {
			value = strings.Trim(fields[i+1], `'"`)
			f = f + " " + value
			i++
		}
		switch name {
		case "--privileged":
			if !hasValue || value == "true" {
				e.Privileged = true
				e.Found = append(e.Found, f)
			}
		case "--cap-add":
			if v := strings.ToUpper(value); v == "ALL" || v == "SYS_ADMIN" || v == "CAP_SYS_ADMIN" {
				e.Privileged = true
				e.Found = append(e.Found, f)
			}
		case "--network", "--net", "--pid", "--userns", "--uts", "--ipc":
			if value == "host" {
				e.HostNamespace = true
				e.Found = append(e.Found, f)
			}
		case "-v", "--volume", "--mount":
			if dockerSocket.MatchString(value) {
				e.DockerSocket = true
				e.Found = append(e.Found, f)
			}
		default:
			if dockerSocket.MatchString(f) {
				e.DockerSocket = true
				e.Found = append(e.Found, f)
			}
		}
	}
	return e
}

// takesValue reports whether a docker option reads the next word as its value.
func takesValue(name string) bool {
	switch name {
	case "--cap-add", "--network", "--net", "--pid", "--userns", "--uts", "--ipc", "-v", "--volume", "--mount":
		return true
	}
	return false
}

// Volumes reads volume entries (GitHub `container.volumes`, GitLab runner-style
// `volumes:`): any entry that mounts the Docker socket.
func Volumes(entries []string) Escapes {
	var e Escapes
	for _, v := range entries {
		if dockerSocket.MatchString(v) {
			e.DockerSocket = true
			e.Found = append(e.Found, v)
		}
	}
	return e
}

var (
	podPrivileged  = regexp.MustCompile(`\bprivileged["']?\s*:\s*["']?true\b`)
	podHostNetwork = regexp.MustCompile(`\bhost(?:Network|PID|IPC)["']?\s*:\s*["']?true\b`)
)

// PodSpec reads a Kubernetes pod specification (Jenkins `agent { kubernetes { yaml … } }`,
// podTemplate): privileged containers, the Docker socket as a hostPath, host namespaces.
func PodSpec(yaml string) Escapes {
	var e Escapes
	if m := podPrivileged.FindString(yaml); m != "" {
		e.Privileged = true
		e.Found = append(e.Found, m)
	}
	if m := dockerSocket.FindString(yaml); m != "" {
		e.DockerSocket = true
		e.Found = append(e.Found, strings.TrimLeft(m, " \t\n=:,\"'"))
	}
	if m := podHostNetwork.FindString(yaml); m != "" {
		e.HostNamespace = true
		e.Found = append(e.Found, m)
	}
	return e
}
