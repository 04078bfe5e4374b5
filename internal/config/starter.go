package config

import _ "embed" // the starter file

// Starter is the commented configuration file `pipeguard config init` writes. It sets
// every key to its default, so writing it changes nothing until it is edited.
//
//go:embed starter.yml
var Starter []byte
