# METADATA
# title: pipeguard helpers
# description: Helpers shared by the built-in rules. They read the normalized model only.
package pipeguard.lib

import rego.v1
