# METADATA
# title: pipeguard helpers
# description: Helpers shared by the built-in rules. They read the normalized model only.
package pipeguard.lib

import rego.v1

# is_agent_credential(name) is true for the credential names that AI coding agents read.
is_agent_credential(name) if upper(name) in {n | some n in data.pipeguard.credentials.agent_credential_names}
