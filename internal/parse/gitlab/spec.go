package gitlab

import (
	"gopkg.in/yaml.v3"

	"github.com/pipeguard/pipeguard/internal/model"
)

// specParameters reads the `spec: inputs:` header of a CI/CD component or of a
// configuration with inputs (the first document of the file, before `---`) into
// Pipeline.Parameters: each input's name, type (string unless `type:` says otherwise),
// scalar default, and `options:` as Enum.
func (p *parser) specParameters(f *file) {
	if len(f.docs) == 0 || !isSpecHeader(f.docs[0]) {
		return
	}
	conv := converter{f: f, nodes: &p.nodes, expanding: map[*yaml.Node]bool{}}
	inputs := conv.convert(f.docs[0]).get("spec").get("inputs")
	if !inputs.isMap() {
		return
	}
	for _, fl := range inputs.fields {
		prm := model.Parameter{Name: fl.key, Type: "string", Pos: fl.keyPos()}
		if t := fl.value.get("type"); t.isScalar() {
			prm.Type = t.value
		}
		if d := fl.value.get("default"); d.isScalar() {
			t := p.text(fl.key, d)
			prm.Default = &t
		}
		for _, o := range scalarList(fl.value.get("options")) {
			prm.Enum = append(prm.Enum, o.value)
		}
		p.pipeline.Parameters = append(p.pipeline.Parameters, prm)
	}
}
