package isolation

import (
	"testing"

	"github.com/pipeguard/pipeguard/internal/model"
)

func TestDockerArgs(t *testing.T) {
	tests := []struct {
		args                       string
		privileged, socket, hostNS bool
	}{
		{"--cpus 2", false, false, false},
		{"--privileged", true, false, false},
		{"--privileged=false", false, false, false},
		{"--cap-add=ALL", true, false, false},
		{"--cap-add SYS_ADMIN", true, false, false},
		{"--cap-add NET_ADMIN", false, false, false},
		{"-v /var/run/docker.sock:/var/run/docker.sock", false, true, false},
		{"--volume=/run/docker.sock:/run/docker.sock", false, true, false},
		{"--mount type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock", false, true, false},
		{"--network host", false, false, true},
		{"--net=host", false, false, true},
		{"--pid=host", false, false, true},
		{"--network bridge", false, false, false},
		{"-v /tmp:/tmp --user root", false, false, false},
	}
	for _, tt := range tests {
		e := DockerArgs(tt.args)
		if e.Privileged != tt.privileged || e.DockerSocket != tt.socket || e.HostNamespace != tt.hostNS {
			t.Errorf("DockerArgs(%q) = %+v, want privileged=%v socket=%v hostNS=%v", tt.args, e, tt.privileged, tt.socket, tt.hostNS)
		}
		if e.Any() != (len(e.Found) > 0) {
			t.Errorf("DockerArgs(%q): Found %v disagrees with Any", tt.args, e.Found)
		}
	}
}

func TestVolumesAndPodSpec(t *testing.T) {
	if !Volumes([]string{"/cache:/cache", "/var/run/docker.sock:/var/run/docker.sock"}).DockerSocket {
		t.Error("a docker.sock volume is not an escape")
	}
	if Volumes([]string{"/cache:/cache"}).Any() {
		t.Error("a plain volume is an escape")
	}
	pod := "spec:\n  hostNetwork: true\n  containers:\n  - name: dind\n    securityContext:\n      privileged: true\n"
	if e := PodSpec(pod); !e.Privileged || !e.HostNamespace || e.DockerSocket {
		t.Errorf("PodSpec = %+v", e)
	}
}

func TestApply(t *testing.T) {
	r := model.Runner{Kind: model.RunnerContainer, Isolation: model.IsolationIsolated}
	DockerArgs("--privileged").Apply(&r)
	if r.Isolation != model.IsolationNone || !r.Privileged || len(r.Escapes) != 1 {
		t.Errorf("Apply: %+v", r)
	}
}

func TestLabels(t *testing.T) {
	l := Labels{"Docker": model.IsolationIsolated, "linux": model.IsolationNone, "gpu": model.IsolationEphemeral}
	tests := []struct {
		labels []string
		want   string
		ok     bool
	}{
		{[]string{"docker"}, model.IsolationIsolated, true},
		{[]string{"DOCKER", "gpu"}, model.IsolationEphemeral, true},
		{[]string{"docker", "linux"}, model.IsolationNone, true},
		{[]string{"linux && docker"}, model.IsolationNone, true},
		{[]string{"other"}, "", false},
		{nil, "", false},
	}
	for _, tt := range tests {
		got, ok := l.Lookup(tt.labels)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%v) = %q, %v; want %q, %v", tt.labels, got, ok, tt.want, tt.ok)
		}
	}
	if iso, ok := (Labels{"*": model.IsolationIsolated}).Lookup([]string{"any"}); !ok || iso != model.IsolationIsolated {
		t.Errorf("the * default was not used: %q %v", iso, ok)
	}
	if !IsGitHubHosted("Ubuntu-Latest") || IsGitHubHosted("ubuntu-latest-16-cores") {
		t.Error("IsGitHubHosted is wrong")
	}
}
