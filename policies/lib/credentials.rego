# METADATA
# title: credential helpers
# description: >-
#   The credentials a file references as the credential inventory names them, what looks
#   like a person rather than a workflow or team, and the tables of token-minting
#   commands (data.pipeguard.credentials).
package pipeguard.lib.credentials

import rego.v1

import data.pipeguard.lib

tables := data.pipeguard.credentials

# first_references(refs) keeps, of a list of references ({name, pos, job, …}), the first
# of each name in each job.
first_references(refs) := [r |
	some key, group in grouped(refs)
	order := sort([[g.pos.line, g.pos.col, i] | some i, g in group])
	r := group[order[0][2]]
]

grouped(refs) := {key: [g | some g in refs; [g.name, g.job] == key] | some r in refs; key := [r.name, r.job]}

# references lists the secrets of the file that an inventory should account for, as
# {name, names, agent, pos, job}: name is the secret's own inventory name, names every
# name that accounts for it (model ScopedSecret.inventory_names), once per step that
# reads it. Rules filter them before first_references, which is quadratic in what it
# gets.
references := [{"name": s.inventory_names[0], "names": s.inventory_names, "agent": object.get(s, "agent", false), "pos": s.pos, "job": st.job.id} |
	some st in lib.steps
	some s in st.step.secrets_in_scope
	count(object.get(s, "inventory_names", [])) > 0
]

# inventory_names is the set of names the file's inventory lists.
inventory_names := {e.name | some e in input.inventory.credentials}

# covered(ref, names) is true when one of the names that account for ref is in names.
covered(ref, names) if {
	some n in ref.names
	n in names
}

# personal_token(name) is true for names that say a person's token (GH_PAT,
# PERSONAL_ACCESS_TOKEN).
personal_token(name) if {
	lowered := lower(name)
	some t in tables.personal_token_words
	contains(lowered, t)
	t in words(name)
}

# person_like(text) is true when text looks like a person rather than a workflow or a
# team: an email address, or a known first name as one of its words (jane.doe,
# JANE_CI_KEY).
person_like(text) if regex.match(`^[^@\s]+@[^@\s]+\.[^@\s]+$`, text)

person_like(text) if {
	some w in words(text)
	w in {x | some x in tables.person_names}
}

# words splits a name on _ - . / : @ and spaces, lower-cased.
words(name) := [w | some w in regex.split(`[-_./:@\s]+`, lower(name)); w != ""]
