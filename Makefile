# pipeguard — make targets. Run `make help` for the list.

GO            ?= go
GOLANGCI_LINT_VERSION := v2.15.0
OPA_VERSION   := v1.22.3
GOBIN         ?= $(shell $(GO) env GOPATH)/bin
GOLANGCI_LINT := $(GOBIN)/golangci-lint
FUZZTIME      ?= 30s

.PHONY: help build test lint opa bench fuzz cover demo selfscan clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-8s %s\n", $$1, $$2}'

build: ## build ./pipeguard
	$(GO) build -o pipeguard ./cmd/pipeguard

test: ## run every test (Go, Rego, goldens, fuzz seeds, the self-scan, the pre-commit hook if pre-commit is installed); corpus tests skip without ../shared/corpus
	$(GO) test ./...

lint: ## run golangci-lint (installs the pinned version first)
	@test -x $(GOLANGCI_LINT) && $(GOLANGCI_LINT) version 2>/dev/null | grep -q '$(patsubst v%,%,$(GOLANGCI_LINT_VERSION))' || \
		GOBIN=$(GOBIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	$(GOLANGCI_LINT) run ./...

opa: ## run the stock OPA (pinned, built with go run) on policies/: opa check --strict, opa test
	$(GO) run github.com/open-policy-agent/opa@$(OPA_VERSION) check --strict policies/
	$(GO) run github.com/open-policy-agent/opa@$(OPA_VERSION) test policies/

bench: ## run the benchmarks (on ../shared/corpus when present)
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz: ## run each fuzz target for FUZZTIME (default 30s)
	@for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

cover: ## write coverage.out and print the total
	$(GO) test -coverprofile=coverage.out ./...
	$(GO) tool cover -func=coverage.out | tail -n 1

demo: ## scan the bundled example repository
	$(GO) run ./cmd/pipeguard scan examples/demo

selfscan: ## scan this repository's workflows, Action and GitLab component (as CI does)
	$(GO) run ./cmd/pipeguard scan .

clean: ## remove build outputs
	rm -f pipeguard coverage.out
