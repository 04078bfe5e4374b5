package groovy

// Inspect traverses the tree rooted at node in depth-first order, like go/ast.Inspect:
// it calls f(node); if f returns true, Inspect visits each child of node and then calls
// f(nil). Interpolations of strings are visited as children of their String; Case and
// Catch clauses, Args (as their values), map entries (key then value) and parameter
// defaults are visited too.
func Inspect(node Node, f func(Node) bool) {
	if node == nil || !f(node) {
		return
	}
	walkChildren(node, f)
	f(nil)
}

func inspectExpr(e Expr, f func(Node) bool) {
	if e != nil {
		Inspect(e, f)
	}
}

func inspectStmt(s Stmt, f func(Node) bool) {
	if s != nil {
		Inspect(s, f)
	}
}

func inspectStmts(list []Stmt, f func(Node) bool) {
	for _, s := range list {
		inspectStmt(s, f)
	}
}

func inspectArgs(args []*Arg, f func(Node) bool) {
	for _, a := range args {
		inspectExpr(a.Value, f)
	}
}

func inspectParams(params []*Param, f func(Node) bool) {
	for _, p := range params {
		if p.Name != nil {
			Inspect(p.Name, f)
		}
		inspectExpr(p.Default, f)
	}
}

func walkChildren(node Node, f func(Node) bool) {
	switch n := node.(type) {
	case *File:
		inspectStmts(n.Statements, f)
	case *Block:
		inspectStmts(n.Statements, f)
	case *ExprStmt:
		inspectExpr(n.X, f)
	case *Decl:
		for _, v := range n.Vars {
			Inspect(v.Name, f)
			inspectExpr(v.Value, f)
		}
		inspectExpr(n.Value, f)
	case *If:
		inspectExpr(n.Cond, f)
		inspectStmt(n.Then, f)
		inspectStmt(n.Else, f)
	case *For:
		inspectStmt(n.Init, f)
		inspectExpr(n.Cond, f)
		for _, u := range n.Update {
			inspectExpr(u, f)
		}
		if n.Var != nil {
			Inspect(n.Var, f)
		}
		inspectExpr(n.Iter, f)
		inspectStmt(n.Body, f)
	case *While:
		inspectExpr(n.Cond, f)
		inspectStmt(n.Body, f)
	case *Switch:
		inspectExpr(n.Tag, f)
		for _, c := range n.Cases {
			Inspect(c, f)
		}
	case *Case:
		for _, v := range n.Values {
			inspectExpr(v, f)
		}
		inspectStmts(n.Body, f)
	case *Try:
		if n.Body != nil {
			Inspect(n.Body, f)
		}
		for _, c := range n.Catches {
			Inspect(c, f)
		}
		if n.Finally != nil {
			Inspect(n.Finally, f)
		}
	case *Catch:
		if n.Name != nil {
			Inspect(n.Name, f)
		}
		if n.Body != nil {
			Inspect(n.Body, f)
		}
	case *Return:
		inspectExpr(n.Value, f)
	case *Throw:
		inspectExpr(n.Value, f)
	case *Assert:
		inspectExpr(n.Cond, f)
		inspectExpr(n.Message, f)
	case *Labeled:
		inspectStmt(n.Stmt, f)
	case *Annotation:
		inspectArgs(n.Args, f)
	case *Func:
		inspectParams(n.Params, f)
		if n.Body != nil {
			Inspect(n.Body, f)
		}
	case *Class:
		inspectStmts(n.Body, f)
	case *String:
		for _, p := range n.Parts {
			inspectExpr(p.Expr, f)
		}
	case *List:
		for _, e := range n.Elems {
			inspectExpr(e, f)
		}
	case *Map:
		for _, e := range n.Entries {
			inspectExpr(e.Key, f)
			inspectExpr(e.Value, f)
		}
	case *Closure:
		inspectParams(n.Params, f)
		inspectStmts(n.Body, f)
	case *Call:
		inspectExpr(n.Callee, f)
		inspectArgs(n.Args, f)
		if n.Closure != nil {
			Inspect(n.Closure, f)
		}
	case *Member:
		inspectExpr(n.X, f)
	case *Index:
		inspectExpr(n.X, f)
		for _, e := range n.Index {
			inspectExpr(e, f)
		}
	case *Binary:
		inspectExpr(n.X, f)
		inspectExpr(n.Y, f)
	case *Unary:
		inspectExpr(n.X, f)
	case *Assign:
		inspectExpr(n.Target, f)
		inspectExpr(n.Value, f)
	case *Ternary:
		inspectExpr(n.Cond, f)
		inspectExpr(n.Then, f)
		inspectExpr(n.Else, f)
	case *Cast:
		inspectExpr(n.X, f)
	case *New:
		inspectArgs(n.Args, f)
		for _, d := range n.Dims {
			inspectExpr(d, f)
		}
		inspectStmts(n.Body, f)
	case *Range:
		inspectExpr(n.From, f)
		inspectExpr(n.To, f)
	}
}
