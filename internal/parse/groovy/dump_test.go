package groovy

import (
	"fmt"
	"strings"
)

// dump renders a node as a compact S-expression for structural assertions in tests.
func dump(n Node) string {
	var b strings.Builder
	dumpNode(&b, n)
	return b.String()
}

var kindPrefix = map[StringKind]string{Single: "S", Double: "D", TripleSingle: "TS", TripleDouble: "TD", Slashy: "SL", DollarSlashy: "DS"}

func dumpList[T Node](b *strings.Builder, sep string, list []T) {
	for i, n := range list {
		if i > 0 {
			b.WriteString(sep)
		}
		dumpNode(b, n)
	}
}

func dumpArgs(b *strings.Builder, args []*Arg) {
	for _, a := range args {
		b.WriteByte(' ')
		if a.Spread {
			b.WriteByte('*')
		}
		if a.Name != "" {
			b.WriteString(a.Name + ":")
		}
		dumpNode(b, a.Value)
	}
}

func dumpParams(b *strings.Builder, params []*Param) {
	for i, p := range params {
		if i > 0 {
			b.WriteByte(',')
		}
		if p.Type != "" {
			b.WriteString(p.Type + " ")
		}
		b.WriteString(p.Name.Name)
		if p.Default != nil {
			b.WriteByte('=')
			dumpNode(b, p.Default)
		}
	}
}

func dumpNode(b *strings.Builder, n Node) {
	if n == nil {
		b.WriteString("nil")
		return
	}
	switch n := n.(type) {
	case *File:
		dumpList(b, "; ", n.Statements)
	case *Block:
		b.WriteString("{")
		dumpList(b, "; ", n.Statements)
		b.WriteString("}")
	case *ExprStmt:
		dumpNode(b, n.X)
	case *Decl:
		fmt.Fprintf(b, "(decl %s", strings.Join(append(append([]string{}, n.Modifiers...), n.Type), " "))
		for _, v := range n.Vars {
			b.WriteString(" " + v.Name.Name)
			if v.Value != nil {
				b.WriteByte('=')
				dumpNode(b, v.Value)
			}
		}
		if n.Tuple {
			b.WriteString(" = ")
			dumpNode(b, n.Value)
		}
		b.WriteString(")")
	case *If:
		b.WriteString("(if ")
		dumpList(b, " ", []Node{n.Cond, n.Then, n.Else})
		b.WriteString(")")
	case *For:
		if n.Var != nil {
			fmt.Fprintf(b, "(for %s %s in ", n.VarType, n.Var.Name)
			dumpNode(b, n.Iter)
		} else {
			b.WriteString("(for ")
			dumpList(b, " ", []Node{n.Init, n.Cond})
			b.WriteString(" ")
			dumpList(b, ",", n.Update)
		}
		b.WriteString(" ")
		dumpNode(b, n.Body)
		b.WriteString(")")
	case *While:
		fmt.Fprintf(b, "(while do=%v ", n.Do)
		dumpList(b, " ", []Node{n.Cond, n.Body})
		b.WriteString(")")
	case *Switch:
		b.WriteString("(switch ")
		dumpNode(b, n.Tag)
		for _, c := range n.Cases {
			b.WriteString(" (case ")
			dumpList(b, ",", c.Values)
			b.WriteString(": ")
			dumpList(b, "; ", c.Body)
			b.WriteString(")")
		}
		b.WriteString(")")
	case *Try:
		b.WriteString("(try ")
		dumpNode(b, n.Body)
		for _, c := range n.Catches {
			name := ""
			if c.Name != nil {
				name = c.Name.Name
			}
			fmt.Fprintf(b, " (catch %s %s ", strings.Join(c.Types, "|"), name)
			dumpNode(b, c.Body)
			b.WriteString(")")
		}
		if n.Finally != nil {
			b.WriteString(" finally ")
			dumpNode(b, n.Finally)
		}
		b.WriteString(")")
	case *Return:
		b.WriteString("(return ")
		dumpNode(b, n.Value)
		b.WriteString(")")
	case *Throw:
		b.WriteString("(throw ")
		dumpNode(b, n.Value)
		b.WriteString(")")
	case *Break:
		fmt.Fprintf(b, "(break %s)", n.Label)
	case *Continue:
		fmt.Fprintf(b, "(continue %s)", n.Label)
	case *Assert:
		b.WriteString("(assert ")
		dumpList(b, " ", []Node{n.Cond, n.Message})
		b.WriteString(")")
	case *Labeled:
		fmt.Fprintf(b, "(label %s ", n.Label)
		dumpNode(b, n.Stmt)
		b.WriteString(")")
	case *Import:
		fmt.Fprintf(b, "(import %s static=%v as=%s package=%v)", n.Path, n.Static, n.Alias, n.Package)
	case *Annotation:
		fmt.Fprintf(b, "@%s(", n.Name)
		dumpArgs(b, n.Args)
		b.WriteString(")")
	case *Func:
		fmt.Fprintf(b, "(func %s %s %s(", strings.Join(n.Modifiers, " "), n.ReturnType, n.Name)
		dumpParams(b, n.Params)
		b.WriteString(") ")
		dumpNode(b, n.Body)
		b.WriteString(")")
	case *Class:
		fmt.Fprintf(b, "(%s %s extends=%s implements=%s ", n.Kind, n.Name, strings.Join(n.Extends, ","), strings.Join(n.Implements, ","))
		dumpList(b, "; ", n.Body)
		b.WriteString(")")
	case *Ident:
		b.WriteString(n.Name)
	case *Literal:
		b.WriteString(n.Raw)
	case *String:
		fmt.Fprintf(b, "%s%q", kindPrefix[n.Kind], n.Value)
	case *List:
		b.WriteString("[")
		dumpList(b, ", ", n.Elems)
		b.WriteString("]")
	case *Map:
		b.WriteString("[")
		for i, e := range n.Entries {
			if i > 0 {
				b.WriteString(", ")
			}
			if e.Spread {
				b.WriteString("*")
			} else {
				dumpNode(b, e.Key)
			}
			b.WriteString(":")
			dumpNode(b, e.Value)
		}
		if len(n.Entries) == 0 {
			b.WriteString(":")
		}
		b.WriteString("]")
	case *Closure:
		b.WriteString("{")
		dumpParams(b, n.Params)
		if n.Arrow {
			b.WriteString(" -> ")
		}
		dumpList(b, "; ", n.Body)
		b.WriteString("}")
	case *Call:
		if n.Paren {
			b.WriteString("(call ")
		} else {
			b.WriteString("(cmd ")
		}
		dumpNode(b, n.Callee)
		dumpArgs(b, n.Args)
		if n.Closure != nil {
			b.WriteString(" ")
			dumpNode(b, n.Closure)
		}
		b.WriteString(")")
	case *Member:
		dumpNode(b, n.X)
		switch {
		case n.Safe:
			b.WriteString("?.")
		case n.Spread:
			b.WriteString("*.")
		case n.Attr:
			b.WriteString(".@")
		case n.Pointer:
			b.WriteString(".&")
		default:
			b.WriteString(".")
		}
		b.WriteString(n.Name)
	case *Index:
		b.WriteString("(index ")
		dumpNode(b, n.X)
		b.WriteString(" ")
		dumpList(b, ",", n.Index)
		b.WriteString(")")
	case *Binary:
		fmt.Fprintf(b, "(%s ", n.Op)
		dumpList(b, " ", []Node{n.X, n.Y})
		b.WriteString(")")
	case *Unary:
		if n.Postfix {
			fmt.Fprintf(b, "(post%s ", n.Op)
		} else {
			fmt.Fprintf(b, "(%s ", n.Op)
		}
		dumpNode(b, n.X)
		b.WriteString(")")
	case *Assign:
		fmt.Fprintf(b, "(%s ", n.Op)
		dumpList(b, " ", []Node{n.Target, n.Value})
		b.WriteString(")")
	case *Ternary:
		b.WriteString("(? ")
		dumpList(b, " ", []Node{n.Cond, n.Then, n.Else})
		b.WriteString(")")
	case *Cast:
		fmt.Fprintf(b, "(cast %s ", n.Type)
		dumpNode(b, n.X)
		b.WriteString(")")
	case *New:
		fmt.Fprintf(b, "(new %s", n.Type)
		dumpArgs(b, n.Args)
		for _, d := range n.Dims {
			b.WriteString(" [")
			dumpNode(b, d)
			b.WriteString("]")
		}
		if n.Body != nil {
			b.WriteString(" {")
			dumpList(b, "; ", n.Body)
			b.WriteString("}")
		}
		b.WriteString(")")
	case *Range:
		op := ".."
		if n.Exclusive {
			op = "..<"
		}
		fmt.Fprintf(b, "(%s ", op)
		dumpList(b, " ", []Node{n.From, n.To})
		b.WriteString(")")
	case *BadExpr:
		b.WriteString("BAD")
	default:
		fmt.Fprintf(b, "?%T", n)
	}
}
