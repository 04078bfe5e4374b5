// Package groovy is a tolerant lexer and recursive-descent parser for the subset of Groovy
// that Jenkinsfiles and Jenkins shared-library scripts are written in.
//
// Parse never fails and never panics: it returns the statements it could read together
// with the errors it met. A bad statement is skipped up to the next newline or `;` at the
// same brace depth, but the blocks opened inside it are still parsed, because they usually
// hold the pipeline's steps. Nesting is limited to MaxDepth levels.
//
// Positions are 1-based, with columns counted in Unicode code points and EndCol exclusive;
// a byte order mark is skipped without shifting column 1 of line 1.
package groovy

import (
	"strings"

	"github.com/pipeguard/pipeguard/internal/model"
	"github.com/pipeguard/pipeguard/internal/textpos"
)

// Node is any node of the syntax tree.
type Node interface {
	// Span returns the node's position in the file.
	Span() model.Pos
}

// Stmt is a statement node.
type Stmt interface {
	Node
	stmtNode()
}

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Error is a problem the lexer or parser met, with its position.
type Error struct {
	Pos model.Pos
	Msg string
}

// Error formats the error as "line:col: message".
func (e Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Comment is a `//` or `/* */` comment, kept for inline ignore directives.
type Comment struct {
	// Text is the comment as written, delimiters included.
	Text string
	Pos  model.Pos
}

// File is a parsed source file.
type File struct {
	Statements []Stmt
	Comments   []Comment
	Pos        model.Pos
}

// Block is a braced statement list (the body of an if, a loop, a function, or a block
// recovered from inside a statement that did not parse).
type Block struct {
	Statements []Stmt
	Pos        model.Pos
}

// ExprStmt is an expression used as a statement, e.g. a step call `sh 'make'`.
type ExprStmt struct {
	X   Expr
	Pos model.Pos
}

// DeclVar is one variable of a declaration.
type DeclVar struct {
	Name *Ident
	// Value is the initializer, nil when there is none.
	Value Expr
}

// Decl declares variables: `def x = 1`, `String a, b = 'x'`, `final env`, `def (a, b) = l`.
type Decl struct {
	Modifiers []string
	// Type is "def", "var", the type as written (`Map<String, String>`), or "" when only
	// modifiers were given.
	Type string
	Vars []*DeclVar
	// Tuple is set for `def (a, b) = value`; the initializer is then in Value.
	Tuple bool
	Value Expr
	Pos   model.Pos
}

// If is `if (Cond) Then else Else`.
type If struct {
	Cond Expr
	Then Stmt
	Else Stmt // nil when absent
	Pos  model.Pos
}

// For is a classic `for (Init; Cond; Update)` loop or a `for (x in Iter)` loop.
type For struct {
	// Classic loop parts; each may be nil.
	Init   Stmt
	Cond   Expr
	Update []Expr
	// For-in loop parts: VarType may be empty.
	VarType string
	Var     *Ident
	Iter    Expr
	Body    Stmt
	Pos     model.Pos
}

// While is `while (Cond) Body`, or `do Body while (Cond)` when Do is set.
type While struct {
	Cond Expr
	Body Stmt
	Do   bool
	Pos  model.Pos
}

// Case is one `case X:` (or `default:` when Values is nil) of a switch, with the
// statements that follow it.
type Case struct {
	Values []Expr
	Body   []Stmt
	Pos    model.Pos
}

// Switch is `switch (Tag) { case …: … }`.
type Switch struct {
	Tag   Expr
	Cases []*Case
	Pos   model.Pos
}

// Catch is one catch clause; Types is empty for `catch (e)`.
type Catch struct {
	Types []string
	Name  *Ident
	Body  *Block
	Pos   model.Pos
}

// Try is `try { } catch (…) { } finally { }`.
type Try struct {
	Body    *Block
	Catches []*Catch
	Finally *Block // nil when absent
	Pos     model.Pos
}

// Return is `return Value`; Value is nil for a bare return.
type Return struct {
	Value Expr
	Pos   model.Pos
}

// Throw is `throw Value`.
type Throw struct {
	Value Expr
	Pos   model.Pos
}

// Break is `break` with an optional label.
type Break struct {
	Label string
	Pos   model.Pos
}

// Continue is `continue` with an optional label.
type Continue struct {
	Label string
	Pos   model.Pos
}

// Assert is `assert Cond : Message`; Message may be nil.
type Assert struct {
	Cond    Expr
	Message Expr
	Pos     model.Pos
}

// Labeled is `label: Stmt`.
type Labeled struct {
	Label string
	Stmt  Stmt
	Pos   model.Pos
}

// Import is `import a.b.C`, `import static a.B.c`, `import a.b.*` or `import a.B as C`;
// a `package a.b` declaration is an Import with Package set.
type Import struct {
	Path    string
	Static  bool
	Alias   string
	Package bool
	Pos     model.Pos
}

// Annotation is `@Name` or `@Name(args)`. An annotation written before a statement is
// its own statement in the list, placed just before the statement it annotates: the
// shared-library import `@Library('lib@1.0') _` is an Annotation followed by the
// ExprStmt `_`.
type Annotation struct {
	Name    string
	Args    []*Arg
	NamePos model.Pos
	Pos     model.Pos
}

// Param is a parameter of a function or closure.
type Param struct {
	Type    string // empty when untyped
	Name    *Ident
	Default Expr // nil when absent
	VarArgs bool
}

// Func is a function or method declaration; constructors have an empty ReturnType and
// abstract methods a nil Body.
type Func struct {
	Modifiers  []string
	ReturnType string // "def", a type, "void", or "" for constructors and bare modifiers
	Name       string
	NamePos    model.Pos
	Params     []*Param
	Body       *Block
	Pos        model.Pos
}

// Class is a class, interface, enum, trait or annotation type declaration. Fields are
// Decls and methods Funcs in Body; enum constants are ExprStmts (Idents or Calls).
type Class struct {
	Kind       string // class, interface, enum, trait, @interface
	Modifiers  []string
	Name       string
	NamePos    model.Pos
	Extends    []string
	Implements []string
	Body       []Stmt
	Pos        model.Pos
}

// Ident is an identifier (including `this`, `super` and `_`).
type Ident struct {
	Name string
	Pos  model.Pos
}

// LiteralKind says what a Literal is.
type LiteralKind int

// Literal kinds.
const (
	LitNumber LiteralKind = iota
	LitBool
	LitNull
)

// Literal is a number, `true`, `false` or `null`, with its text as written.
type Literal struct {
	Kind LiteralKind
	Raw  string
	Pos  model.Pos
}

// StringKind is the delimiter style of a string literal.
type StringKind int

// String kinds. Single and TripleSingle strings are never interpolated.
const (
	Single       StringKind = iota // 'x'
	Double                         // "x"
	TripleSingle                   // '''x'''
	TripleDouble                   // """x"""
	Slashy                         // /x/
	DollarSlashy                   // $/x/$
)

var stringKindNames = [...]string{"single", "double", "triple-single", "triple-double", "slashy", "dollar-slashy"}

// String returns the kind's name, e.g. "triple-double".
func (k StringKind) String() string {
	if int(k) < len(stringKindNames) && k >= 0 {
		return stringKindNames[k]
	}
	return "unknown"
}

// PartKind says whether a StringPart is literal text or an interpolation.
type PartKind int

// String part kinds.
const (
	PartLiteral PartKind = iota
	PartInterp
)

// StringPart is a literal run or an interpolation of a string.
type StringPart struct {
	Kind PartKind
	// Text is the decoded literal text (escapes processed) of a literal part.
	Text string
	// Map gives the file position of every byte of Text (literal parts only).
	Map *textpos.Map
	// Raw is an interpolation as written: `${env.X}` or `$Y`.
	Raw string
	// Code is the interpolation's expression source: `env.X` or `Y`.
	Code string
	// Expr is the parsed interpolation; nil for literal parts, `${}`, and code that did
	// not parse.
	Expr Expr
	Pos  model.Pos
}

// String is a string literal of any kind. A string with interpolation parts is a GString.
type String struct {
	Kind StringKind
	// Raw is the source text between the delimiters.
	Raw string
	// Value is the decoded text: escapes processed, line continuations removed,
	// interpolations kept as written.
	Value string
	Parts []StringPart
	Pos   model.Pos
}

// Interpolated reports whether the string has interpolation parts (is a GString).
func (s *String) Interpolated() bool {
	for _, p := range s.Parts {
		if p.Kind == PartInterp {
			return true
		}
	}
	return false
}

// Decoded returns Value together with a map giving the file position of each of its
// bytes; interpolations map verbatim onto their source text.
func (s *String) Decoded() (string, *textpos.Map) {
	var b textpos.Builder
	for _, p := range s.Parts {
		if p.Kind == PartLiteral {
			b.Mapped(p.Text, p.Map, 0, p.Map.Len())
			continue
		}
		b.Verbatim(p.Raw, p.Pos.Line, p.Pos.Col)
	}
	return b.String(), b.Map()
}

// List is `[a, b]`.
type List struct {
	Elems []Expr
	Pos   model.Pos
}

// MapEntry is one `key: value` of a map literal; Spread is set for `*: other`, whose
// Key is nil.
type MapEntry struct {
	Key    Expr
	Value  Expr
	Spread bool
}

// Map is `[k: v, …]` or `[:]`. A bare-word key is an Ident.
type Map struct {
	Entries []*MapEntry
	Pos     model.Pos
}

// Closure is `{ params -> body }`.
type Closure struct {
	Params []*Param
	// Arrow is set when `->` was written (so `{ -> x }` has no parameters, while `{ x }`
	// has the implicit `it`).
	Arrow bool
	Body  []Stmt
	Pos   model.Pos
}

// Arg is one argument of a call; Name is set for a named argument `name: value`.
type Arg struct {
	Name    string
	NamePos model.Pos
	Value   Expr
	Spread  bool // *list
}

// Call is a method or step call: `sh 'x'`, `stage('a') { … }`, `docker.image('x').inside { … }`.
type Call struct {
	Callee Expr
	Args   []*Arg
	// Closure is the trailing closure written after the arguments, if any.
	Closure *Closure
	// Paren is set when the arguments were written in parentheses (`sh('x')`) rather than
	// in command syntax (`sh 'x'`) or with only a trailing closure (`node { }`).
	Paren bool
	Pos   model.Pos
}

// Name returns the called method's own name: "inside" for `docker.image('x').inside`.
func (c *Call) Name() string {
	switch x := c.Callee.(type) {
	case *Ident:
		return x.Name
	case *Member:
		return x.Name
	}
	return ""
}

// Path returns the callee as a dotted path with calls elided: "docker.image.inside" for
// `docker.image('x').inside`, "sh" for `sh 'x'`; "" when the callee is not a path.
func (c *Call) Path() string {
	var parts []string
	e := c.Callee
	for e != nil {
		switch x := e.(type) {
		case *Ident:
			parts = append(parts, x.Name)
			e = nil
		case *Member:
			parts = append(parts, x.Name)
			e = x.X
		case *Call:
			e = x.Callee
		default:
			return ""
		}
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".")
}

// Member is `X.Name`, `X?.Name` (Safe), `X*.Name` (Spread), `X.@Name` (Attr) or a method
// pointer `X.&Name` / `X::Name` (Pointer). Name is the text of a quoted member name.
type Member struct {
	X       Expr
	Name    string
	NamePos model.Pos
	Safe    bool
	Spread  bool
	Attr    bool
	Pointer bool
	Pos     model.Pos
}

// Index is `X[Index…]`.
type Index struct {
	X     Expr
	Index []Expr
	Pos   model.Pos
}

// Binary is `X Op Y` (arithmetic, comparison, logic, `=~`, `in`, `instanceof`; for
// instanceof, Y is an Ident holding the type).
type Binary struct {
	Op  string
	X   Expr
	Y   Expr
	Pos model.Pos
}

// Unary is a prefix (`!x`, `-x`, `~/re/`, `++x`, `*spread`) or postfix (`x++`) operation.
type Unary struct {
	Op      string
	X       Expr
	Postfix bool
	Pos     model.Pos
}

// Assign is `Target Op Value` with Op one of `=`, `+=`, `-=`, …. At statement level it is
// itself the statement (`environment { FOO = 'bar' }`).
type Assign struct {
	Op     string
	Target Expr
	Value  Expr
	Pos    model.Pos
}

// Ternary is `Cond ? Then : Else`, or the Elvis `Cond ?: Else` when Then is nil.
type Ternary struct {
	Cond Expr
	Then Expr
	Else Expr
	Pos  model.Pos
}

// Cast is `(Type) X`, or `X as Type` when As is set.
type Cast struct {
	Type string
	X    Expr
	As   bool
	Pos  model.Pos
}

// New is `new Type(args)`, `new Type[n]`, or an anonymous class `new Type() { … }`
// whose members are in Body.
type New struct {
	Type string
	Args []*Arg
	// Dims are array dimensions of `new T[n]`.
	Dims []Expr
	Body []Stmt
	Pos  model.Pos
}

// Range is `From..To` or `From..<To` (Exclusive).
type Range struct {
	From      Expr
	To        Expr
	Exclusive bool
	Pos       model.Pos
}

// BadExpr stands for an expression that did not parse.
type BadExpr struct {
	Pos model.Pos
}

// Span implementations.

// Span returns the file's span.
func (n *File) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Block) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *ExprStmt) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Decl) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *If) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *For) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *While) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Switch) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Case) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Try) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Catch) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Return) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Throw) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Break) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Continue) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Assert) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Labeled) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Import) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Annotation) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Func) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Class) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Ident) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Literal) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *String) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *List) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Map) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Closure) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Call) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Member) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Index) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Binary) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Unary) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Assign) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Ternary) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Cast) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *New) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *Range) Span() model.Pos { return n.Pos }

// Span returns the node's span.
func (n *BadExpr) Span() model.Pos { return n.Pos }

func (*Block) stmtNode()      {}
func (*ExprStmt) stmtNode()   {}
func (*Decl) stmtNode()       {}
func (*If) stmtNode()         {}
func (*For) stmtNode()        {}
func (*While) stmtNode()      {}
func (*Switch) stmtNode()     {}
func (*Try) stmtNode()        {}
func (*Return) stmtNode()     {}
func (*Throw) stmtNode()      {}
func (*Break) stmtNode()      {}
func (*Continue) stmtNode()   {}
func (*Assert) stmtNode()     {}
func (*Labeled) stmtNode()    {}
func (*Import) stmtNode()     {}
func (*Annotation) stmtNode() {}
func (*Func) stmtNode()       {}
func (*Class) stmtNode()      {}
func (*Assign) stmtNode()     {}

func (*Ident) exprNode()   {}
func (*Literal) exprNode() {}
func (*String) exprNode()  {}
func (*List) exprNode()    {}
func (*Map) exprNode()     {}
func (*Closure) exprNode() {}
func (*Call) exprNode()    {}
func (*Member) exprNode()  {}
func (*Index) exprNode()   {}
func (*Binary) exprNode()  {}
func (*Unary) exprNode()   {}
func (*Assign) exprNode()  {}
func (*Ternary) exprNode() {}
func (*Cast) exprNode()    {}
func (*New) exprNode()     {}
func (*Range) exprNode()   {}
func (*BadExpr) exprNode() {}
