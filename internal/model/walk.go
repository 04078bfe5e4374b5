package model

import "reflect"

// LiteralSecretsOf returns every LiteralSecret anywhere in p, so that reporters can mask
// them in the source lines they quote.
func LiteralSecretsOf(p *Pipeline) []LiteralSecret {
	var out []LiteralSecret
	collectSecrets(reflect.ValueOf(p), &out)
	return out
}

var literalSecretType = reflect.TypeOf(LiteralSecret{})

func collectSecrets(v reflect.Value, out *[]LiteralSecret) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectSecrets(v.Elem(), out)
		}
	case reflect.Struct:
		if v.Type() == literalSecretType {
			*out = append(*out, v.Interface().(LiteralSecret))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			collectSecrets(v.Field(i), out)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			collectSecrets(v.Index(i), out)
		}
	}
}
