//! The pg_query front door: reading `.sql` files, splitting them into statements with
//! positions, reporting syntax errors as `file:line:col`, rejecting what does not belong in a
//! schema definition, and ordering statements by what they create and reference.

use crate::model::{Name, ObjectId, ObjectKind, QualName};
use petgraph::graph::{DiGraph, NodeIndex};
use pg_query::NodeEnum;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::fmt;
use std::path::{Path, PathBuf};

/// One SQL source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or found (relative to the current directory when it was given so).
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

/// A problem in desired SQL, located precisely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// The offending line's text.
    pub line_text: String,
    /// Extra lines (Postgres DETAIL / HINT, or what to do).
    pub notes: Vec<String>,
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.col,
            self.message
        )?;
        let num = self.line.to_string();
        writeln!(f, " {num} | {}", self.line_text)?;
        write!(
            f,
            " {} | {}^",
            " ".repeat(num.len()),
            " ".repeat(self.col.saturating_sub(1))
        )?;
        for n in &self.notes {
            write!(f, "\n {n}")?;
        }
        Ok(())
    }
}

/// Several SQL errors (all of them, not just the first).
#[derive(Debug, Clone)]
pub struct SqlErrors(pub Vec<SqlError>);

impl fmt::Display for SqlErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{e}")?;
        }
        write!(
            f,
            "{} error{} in the desired SQL",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for SqlErrors {}

/// Reads every `*.sql` file under `path` (recursively, sorted by path), or `path` itself if
/// it is a file.
pub fn read_sources(path: &Path) -> Result<Vec<SourceFile>, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut files = Vec::new();
    if meta.is_file() {
        files.push(path.to_path_buf());
    } else {
        collect(path, &mut files)?;
        files.sort();
        if files.is_empty() {
            return Err(format!(
                "{} contains no .sql files (the desired schema is plain SQL in *.sql files)",
                path.display()
            ));
        }
    }
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            Ok(SourceFile { path: p, text })
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for e in entries {
        let e = e.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let p = e.path();
        let ft = e.file_type().map_err(|e| format!("{}: {e}", p.display()))?;
        if ft.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "sql") {
            out.push(p);
        }
    }
    Ok(())
}

/// One statement of the desired SQL.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Index of its file in the source list.
    pub file: usize,
    /// Byte offset in the file.
    pub offset: usize,
    /// The statement text: where it is in its file, or what it was rewritten to (an index
    /// built CONCURRENTLY, a table whose foreign keys were moved out). Read with
    /// [`Statement::text`].
    text: Text,
    /// Objects it creates, as `kind:schema.name` keys.
    pub creates: Vec<Name>,
    /// Objects it references, as keys.
    pub references: Refs,
    /// A short description, e.g. `CREATE TABLE crm.contacts`.
    pub summary: String,
    /// Renames declared with `-- pgdiff:renamed-from old_name`: (new identity, old identity).
    pub renames: Vec<(ObjectId, ObjectId)>,
    /// The parsed statement, protobuf-encoded: a tree in memory is several times its
    /// encoding, and the loader keeps every statement of a large schema. Decoded on demand
    /// by [`Statement::node`].
    node: Vec<u8>,
    /// A `CREATE EXTENSION` (ordered before everything else).
    extension: bool,
}

/// The keys a statement references: a sorted set without duplicates in one allocation, of
/// compact strings. A large schema's statements hold hundreds of thousands of keys, most short
/// enough to be kept inline, and few per statement; a `BTreeSet` would allocate a node sized
/// for eleven keys for each statement (about a fifth of the loader's memory at 5,000 tables).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refs(Box<[Name]>);

impl Refs {
    /// The keys in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Name> {
        self.0.iter()
    }

    /// The stored key equal to `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Name> {
        self.0
            .binary_search_by(|k| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i])
    }

    /// Whether `key` is referenced.
    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<BTreeSet<String>> for Refs {
    fn from(keys: BTreeSet<String>) -> Self {
        // A BTreeSet iterates in order and without duplicates: the slice stays sorted.
        Refs(keys.into_iter().map(Name::from).collect())
    }
}

impl<'a> IntoIterator for &'a Refs {
    type Item = &'a Name;
    type IntoIter = std::slice::Iter<'a, Name>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Where a statement's text is.
#[derive(Debug, Clone)]
enum Text {
    /// This many bytes of its file from its offset. Not a copy: the files are kept anyway,
    /// for error positions, and a large schema's texts are megabytes.
    Span(usize),
    /// Rewritten.
    Rewritten(String),
}

impl Statement {
    /// The statement text; `files` is the list the statement was parsed from.
    pub fn text<'a>(&'a self, files: &'a [SourceFile]) -> &'a str {
        match &self.text {
            Text::Span(len) => &files[self.file].text[self.offset..self.offset + len],
            Text::Rewritten(t) => t,
        }
    }

    /// Where the text is in its file, unless it was rewritten.
    pub fn span(&self) -> Option<std::ops::Range<usize>> {
        match &self.text {
            Text::Span(len) => Some(self.offset..self.offset + len),
            Text::Rewritten(_) => None,
        }
    }

    /// The parsed statement.
    fn node(&self) -> NodeEnum {
        use prost::Message;
        pg_query::protobuf::Node::decode(self.node.as_slice())
            .ok()
            .and_then(|n| n.node)
            // Only trees pg_query decoded itself (or built from them, no deeper) are
            // encoded, so prost's nesting limit cannot be reached here.
            .expect("a statement tree encoded by `describe`")
    }

    /// Replaces the parsed statement.
    fn set_node(&mut self, node: NodeEnum) {
        self.extension = matches!(node, NodeEnum::CreateExtensionStmt(_));
        self.node = encode(node);
    }
}

/// A statement tree, protobuf-encoded.
fn encode(node: NodeEnum) -> Vec<u8> {
    use prost::Message;
    pg_query::protobuf::Node { node: Some(node) }.encode_to_vec()
}

/// Position (line, col, line text) of byte `offset` in `text`.
pub fn locate(text: &str, offset: usize) -> (usize, usize, String) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..offset].chars().count() + 1;
    let line_end = text[line_start..]
        .find('\n')
        .map(|i| line_start + i)
        .unwrap_or(text.len());
    (
        line,
        col,
        text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string(),
    )
}

fn error_at(files: &[SourceFile], file: usize, offset: usize, message: String) -> SqlError {
    let (line, col, line_text) = locate(&files[file].text, offset);
    SqlError {
        file: files[file].path.clone(),
        line,
        col,
        message,
        line_text,
        notes: Vec::new(),
    }
}

/// Byte offset of the first non-blank, non-comment character of `stmt`.
fn skip_leading_comments(stmt: &str) -> usize {
    let mut i = 0;
    let b = stmt.as_bytes();
    loop {
        while i < b.len() && (b[i] as char).is_whitespace() {
            i += 1;
        }
        if stmt[i..].starts_with("--") {
            i = stmt[i..].find('\n').map(|n| i + n + 1).unwrap_or(b.len());
        } else if stmt[i..].starts_with("/*") {
            i = stmt[i..].find("*/").map(|n| i + n + 2).unwrap_or(b.len());
        } else {
            return i;
        }
    }
}

/// Finds where in `stmt` a syntax error lies: the shortest token prefix that fails with an
/// error other than "at end of input" ends at the offending token.
fn syntax_error_offset(stmt: &str) -> usize {
    let Ok(tokens) = pg_query::scan(stmt) else {
        return 0;
    };
    let tokens = tokens.tokens;
    let fails_inside = |k: usize| -> bool {
        let end = tokens[k - 1].end as usize;
        match pg_query::parse(&stmt[..end], 0) {
            Ok(_) => false,
            Err(pg_query::Error::Parse(m)) => !m.contains("at end of input"),
            Err(_) => true,
        }
    };
    let (mut lo, mut hi) = (1, tokens.len());
    if hi == 0 || !fails_inside(hi) {
        return stmt.len();
    }
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fails_inside(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    tokens[lo - 1].start as usize
}

/// Splits and parses every file; returns all statements or all errors, in file order.
///
/// Splitting is serial (the scanner alone is cheap); the statements are parsed on one
/// thread per core, at most four, because parsing is most of the time before the shadow
/// database can be loaded (at 5,000 tables 2.0 of 2.1 s). The result does not depend on
/// the number of threads: each statement's outcome is put back in its place.
pub fn parse_sources(files: &[SourceFile]) -> Result<Vec<Statement>, SqlErrors> {
    parse_sources_on(files, super::cores(4))
}

/// [`parse_sources`] on up to `threads` threads.
fn parse_sources_on(files: &[SourceFile], threads: usize) -> Result<Vec<Statement>, SqlErrors> {
    let mut units = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        // psql meta-commands are not SQL; report them before the parser trips on them.
        let mut offset = 0;
        let mut meta = false;
        for line in f.text.split_inclusive('\n') {
            if line.trim_start().starts_with('\\') {
                let col = line.len() - line.trim_start().len();
                units.push(Unit::Error(Box::new(error_at(
                    files,
                    fi,
                    offset + col,
                    format!(
                        "psql meta-command {} is not SQL: the desired schema is plain SQL \
                         executed by pgdiff, not a psql script",
                        line.split_whitespace().next().unwrap_or("\\")
                    ),
                ))));
                meta = true;
            }
            offset += line.len();
        }
        if meta {
            continue;
        }
        match pg_query::split_with_scanner(&f.text) {
            Ok(pieces) => {
                let base = f.text.as_ptr() as usize;
                units.extend(pieces.into_iter().map(|piece| Unit::Piece {
                    file: fi,
                    start: piece.as_ptr() as usize - base,
                    len: piece.len(),
                }));
            }
            Err(e) => units.push(Unit::Error(Box::new(error_at(
                files,
                fi,
                0,
                format!("cannot split into statements: {e}"),
            )))),
        }
    }
    let mut parsed = parallel_fold(&units, threads, |u, acc: &mut Parsed| match u {
        Unit::Error(e) => acc.errors.push((**e).clone()),
        Unit::Piece { file, start, len } => parse_piece(files, *file, *start, *len, acc),
    });
    let errors: Vec<SqlError> = parsed.iter_mut().flat_map(|p| p.errors.drain(..)).collect();
    if !errors.is_empty() {
        return Err(SqlErrors(errors));
    }
    let mut out = Vec::with_capacity(parsed.iter().map(|p| p.statements.len()).sum());
    for p in parsed {
        // Copied on this thread, the originals freed: a helper thread's allocator arena
        // holds the statements among the holes its parse trees left, which the rest of
        // the run never reuses (the 5,000-table desired-SQL plan peaked 15 MB higher).
        for st in p.statements {
            out.push(st.clone());
            drop(st);
        }
    }
    Ok(out)
}

/// What parsing a run of pieces produced, each list in order.
#[derive(Default)]
struct Parsed {
    statements: Vec<Statement>,
    errors: Vec<SqlError>,
}

/// What [`parse_sources`] does with one part of a file: report an error found while
/// splitting, or parse a piece (`len` bytes at `start`) the scanner split off.
enum Unit {
    /// Boxed: pieces are many, and errors rare.
    Error(Box<SqlError>),
    Piece {
        file: usize,
        start: usize,
        len: usize,
    },
}

/// Parses one piece of file `fi` into its statements, or the errors in it, added to `out`.
fn parse_piece(files: &[SourceFile], fi: usize, start: usize, len: usize, out: &mut Parsed) {
    let piece = &files[fi].text[start..start + len];
    let lead = skip_leading_comments(piece);
    if lead >= piece.len() {
        return;
    }
    let text = piece[lead..].trim_end();
    let offset = start + lead;
    match pg_query::parse(text, 0) {
        Ok(parsed) => {
            // Cloned, not moved out: the decoded tree's vectors carry spare capacity and a
            // clone is sized exactly (moving took 60% more memory for the 1,000-table
            // benchmark schema).
            for raw in &parsed.protobuf.stmts {
                let Some(node) = raw.stmt.as_ref().and_then(|n| n.node.clone()) else {
                    continue;
                };
                match classify(&node) {
                    Ok(()) => {
                        let mut node = node;
                        // The shadow builds in one transaction: an index is the same index
                        // whether built concurrently or not.
                        let mut rewritten = None;
                        if let NodeEnum::IndexStmt(ix) = &mut node
                            && ix.concurrent
                        {
                            ix.concurrent = false;
                            rewritten = node.deparse(pg_query::DeparseOptions::default()).ok();
                        }
                        // A materialized view is created unpopulated, as pg_dump creates one:
                        // the catalog is the same, and the shadow neither plans nor runs its
                        // query (on PostgreSQL 17 and later, a populated one is also built
                        // anew and swapped in, as by REFRESH).
                        if let NodeEnum::CreateTableAsStmt(c) = &mut node
                            && c.objtype() == pg_query::protobuf::ObjectType::ObjectMatview
                            && let Some(into) = c.into.as_mut()
                            && !into.skip_data
                            && let Some(t) = without_data(text)
                        {
                            into.skip_data = true;
                            rewritten = Some(t);
                        }
                        let renames = annotated_renames(&piece[..lead], text, &node);
                        let text = match rewritten {
                            Some(t) => Text::Rewritten(t),
                            None => Text::Span(text.len()),
                        };
                        let mut st = describe(fi, offset, text, node);
                        st.renames = renames;
                        out.statements.push(st)
                    }
                    Err(reason) => out.errors.push(error_at(files, fi, offset, reason)),
                }
            }
        }
        Err(pg_query::Error::Parse(msg)) => {
            let at = offset + syntax_error_offset(text);
            out.errors.push(error_at(files, fi, at, msg));
        }
        Err(e) => out.errors.push(error_at(files, fi, offset, e.to_string())),
    }
}

/// Folds `f` over `items` on up to `threads` threads (the calling thread one of them), in
/// chunks taken in turn so that uneven items spread evenly. Returns one accumulator per
/// chunk, in the items' order (one in all when it runs on one thread).
fn parallel_fold<T: Sync, A: Default + Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T, &mut A) + Sync,
) -> Vec<A> {
    /// Items per chunk: large enough that taking one costs nothing against parsing it.
    const CHUNK: usize = 16;
    let fold = |chunk: &[T]| {
        let mut acc = A::default();
        for item in chunk {
            f(item, &mut acc);
        }
        acc
    };
    let chunks: Vec<&[T]> = items.chunks(CHUNK).collect();
    let threads = threads.min(chunks.len());
    if threads <= 1 {
        return vec![fold(items)];
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (chunks, next, fold) = (&chunks, &next, &fold);
    let work = move || {
        let mut mine = Vec::new();
        loop {
            let c = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(chunk) = chunks.get(c) else { break };
            mine.push((c, fold(chunk)));
        }
        mine
    };
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for h in helpers {
            done.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        done
    });
    done.sort_unstable_by_key(|(c, _)| *c);
    done.into_iter().map(|(_, acc)| acc).collect()
}

/// `CREATE MATERIALIZED VIEW` text made to say `WITH NO DATA`: a closing `WITH DATA` is
/// replaced, otherwise the clause is added after the last token, before any trailing
/// comment. The text up to there is kept as written, so that the server's error positions
/// in it still point into the source. `None` if it says `WITH NO DATA` already or cannot be
/// scanned.
fn without_data(text: &str) -> Option<String> {
    use pg_query::protobuf::{ScanToken, Token};
    let tokens = pg_query::scan_tokens(text).ok()?;
    let code: Vec<&ScanToken> = tokens
        .iter()
        .filter(|t| t.token != Token::SqlComment as i32 && t.token != Token::CComment as i32)
        .collect();
    let is = |t: &ScanToken, k: Token| t.token == k as i32;
    let at = |i: i32| usize::try_from(i).ok().filter(|&i| i <= text.len());
    match code.as_slice() {
        [.., w, n, d] if is(w, Token::With) && is(n, Token::No) && is(d, Token::DataP) => None,
        [.., w, d] if is(w, Token::With) && is(d, Token::DataP) => {
            let (from, to) = (at(w.start)?, at(d.end)?);
            Some(format!("{}WITH NO DATA{}", &text[..from], &text[to..]))
        }
        [.., last] => {
            let end = at(last.end)?;
            Some(format!("{} WITH NO DATA{}", &text[..end], &text[end..]))
        }
        [] => None,
    }
}

/// Accepts DDL that defines schema objects; rejects everything else with a reason.
fn classify(node: &NodeEnum) -> Result<(), String> {
    use NodeEnum as N;
    let reject = |what: &str, why: &str| {
        Err(format!(
            "{what} does not belong in a schema definition: {why}"
        ))
    };
    match node {
        N::CreateSchemaStmt(_)
        | N::CreateExtensionStmt(_)
        | N::CreateEnumStmt(_)
        | N::CreateDomainStmt(_)
        | N::CompositeTypeStmt(_)
        | N::CreateStmt(_)
        | N::CreateSeqStmt(_)
        | N::AlterSeqStmt(_)
        | N::IndexStmt(_)
        | N::ViewStmt(_)
        | N::CreateFunctionStmt(_)
        | N::CreateTrigStmt(_)
        | N::CreatePolicyStmt(_)
        | N::AlterPolicyStmt(_)
        | N::CommentStmt(_)
        | N::GrantStmt(_)
        | N::AlterTableStmt(_)
        | N::AlterEnumStmt(_)
        | N::AlterDomainStmt(_)
        | N::AlterFunctionStmt(_)
        | N::AlterOwnerStmt(_)
        | N::AlterExtensionStmt(_)
        | N::CreateRangeStmt(_)
        | N::DefineStmt(_)
        | N::CreateCastStmt(_)
        | N::CreateOpClassStmt(_)
        | N::CreateStatsStmt(_)
        | N::CreateForeignTableStmt(_)
        | N::RuleStmt(_) => Ok(()),
        N::CreateTableAsStmt(s) => {
            if s.objtype() == pg_query::protobuf::ObjectType::ObjectMatview {
                Ok(())
            } else {
                reject(
                    "CREATE TABLE AS",
                    "it copies data; declare the table's columns instead",
                )
            }
        }
        N::VariableSetStmt(s) => {
            // `SET search_path = public` says what pgdiff assumes anyway.
            let only_public = s.args.len() == 1
                && serde_json::to_value(&s.args[0])
                    .ok()
                    .and_then(|v| {
                        v.pointer("/node/AConst/val/Sval/sval")
                            .and_then(|x| x.as_str())
                            .map(str::to_string)
                    })
                    .is_some_and(|v| v == "public");
            if s.name == "search_path" && !only_public {
                Err(
                    "SET search_path is not honoured: unqualified names always mean the \
                     default schema (public); schema-qualify names instead"
                        .into(),
                )
            } else {
                // Session settings (check_function_bodies, client_encoding, ...) are harmless.
                Ok(())
            }
        }
        N::InsertStmt(_) | N::UpdateStmt(_) | N::DeleteStmt(_) | N::MergeStmt(_) => reject(
            "DML",
            "the desired schema holds structure only; load data with a migration or seed script",
        ),
        N::CopyStmt(_) => reject("COPY", "data does not belong in the desired schema"),
        N::TruncateStmt(_) => reject("TRUNCATE", "data does not belong in the desired schema"),
        N::SelectStmt(_) => reject("a query", "only statements that define objects are allowed"),
        N::TransactionStmt(_) => reject(
            "transaction control",
            "pgdiff decides transactions itself; remove BEGIN/COMMIT",
        ),
        N::DropStmt(_) => reject(
            "DROP",
            "declare only what should exist; pgdiff drops what is no longer declared",
        ),
        N::RenameStmt(_) => reject(
            "a rename",
            "declare the new name and annotate it with `-- pgdiff:renamed-from old_name`",
        ),
        N::DoStmt(_) => reject(
            "a DO block",
            "its effects are invisible to pgdiff; declare the objects directly",
        ),
        other => {
            let name = format!("{other:?}");
            let kind = name.split('(').next().unwrap_or("statement").to_string();
            reject(
                &kind,
                "only statements that define schema objects are allowed",
            )
        }
    }
}

fn qualified(names: &[String]) -> Option<(String, String)> {
    match names {
        [n] => Some(("public".into(), n.clone())),
        [s, n] => Some((s.clone(), n.clone())),
        [_, s, n] => Some((s.clone(), n.clone())),
        _ => None,
    }
}

fn strings(nodes: &[pg_query::protobuf::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

/// The key of an object that lives in a table (trigger, policy, constraint).
fn sub_key(kind: &str, table: &pg_query::protobuf::RangeVar, name: &str) -> String {
    let schema = if table.schemaname.is_empty() {
        "public"
    } else {
        &table.schemaname
    };
    format!("{kind}:{schema}.{}.{name}", table.relname)
}

fn rel_key(schema: &str, name: &str) -> String {
    let schema = if schema.is_empty() { "public" } else { schema };
    format!("rel:{schema}.{name}")
}

/// What a statement creates, for ordering. Relations, types and sequences share Postgres's
/// namespaces, so keys are `rel:`, `type:`, `func:`, `schema:` and `ext:`.
fn describe(file: usize, offset: usize, text: Text, node: NodeEnum) -> Statement {
    use NodeEnum as N;
    let mut creates = Vec::new();
    let summary = match &node {
        N::CreateSchemaStmt(s) => {
            creates.push(format!("schema:{}", s.schemaname));
            format!("CREATE SCHEMA {}", s.schemaname)
        }
        N::CreateExtensionStmt(s) => {
            creates.push(format!("ext:{}", s.extname));
            format!("CREATE EXTENSION {}", s.extname)
        }
        N::CreateEnumStmt(s) => {
            let (sc, n) = qualified(&strings(&s.type_name)).unwrap_or_default();
            creates.push(format!("type:{sc}.{n}"));
            format!("CREATE TYPE {sc}.{n} AS ENUM")
        }
        N::CreateRangeStmt(s) => {
            let (sc, n) = qualified(&strings(&s.type_name)).unwrap_or_default();
            creates.push(format!("type:{sc}.{n}"));
            format!("CREATE TYPE {sc}.{n} AS RANGE")
        }
        N::CreateDomainStmt(s) => {
            let (sc, n) = qualified(&strings(&s.domainname)).unwrap_or_default();
            creates.push(format!("type:{sc}.{n}"));
            format!("CREATE DOMAIN {sc}.{n}")
        }
        N::CompositeTypeStmt(s) => {
            let r = s.typevar.as_ref();
            let (sc, n) = r
                .map(|r| (r.schemaname.clone(), r.relname.clone()))
                .unwrap_or_default();
            let sc = if sc.is_empty() {
                "public".to_string()
            } else {
                sc
            };
            creates.push(format!("type:{sc}.{n}"));
            format!("CREATE TYPE {sc}.{n} AS (...)")
        }
        N::CreateStmt(s) => {
            let r = s.relation.as_ref();
            let (sc, n) = r
                .map(|r| (r.schemaname.clone(), r.relname.clone()))
                .unwrap_or_default();
            creates.push(rel_key(&sc, &n));
            creates.push(format!(
                "type:{}.{n}",
                if sc.is_empty() { "public" } else { &sc }
            ));
            format!(
                "CREATE TABLE {}",
                rel_key(&sc, &n).trim_start_matches("rel:")
            )
        }
        N::CreateSeqStmt(s) => {
            let r = s.sequence.as_ref();
            let (sc, n) = r
                .map(|r| (r.schemaname.clone(), r.relname.clone()))
                .unwrap_or_default();
            creates.push(rel_key(&sc, &n));
            format!(
                "CREATE SEQUENCE {}",
                rel_key(&sc, &n).trim_start_matches("rel:")
            )
        }
        N::ViewStmt(s) => {
            let r = s.view.as_ref();
            let (sc, n) = r
                .map(|r| (r.schemaname.clone(), r.relname.clone()))
                .unwrap_or_default();
            creates.push(rel_key(&sc, &n));
            format!(
                "CREATE VIEW {}",
                rel_key(&sc, &n).trim_start_matches("rel:")
            )
        }
        N::CreateTableAsStmt(s) => {
            let r = s.into.as_ref().and_then(|i| i.rel.as_ref());
            let (sc, n) = r
                .map(|r| (r.schemaname.clone(), r.relname.clone()))
                .unwrap_or_default();
            creates.push(rel_key(&sc, &n));
            format!(
                "CREATE MATERIALIZED VIEW {}",
                rel_key(&sc, &n).trim_start_matches("rel:")
            )
        }
        N::IndexStmt(s) => {
            let sc = s
                .relation
                .as_ref()
                .map(|r| r.schemaname.clone())
                .unwrap_or_default();
            if !s.idxname.is_empty() {
                creates.push(rel_key(&sc, &s.idxname));
            }
            format!("CREATE INDEX {}", s.idxname)
        }
        N::CreateFunctionStmt(s) => {
            let (sc, n) = qualified(&strings(&s.funcname)).unwrap_or_default();
            creates.push(format!("func:{sc}.{n}"));
            format!(
                "CREATE {} {sc}.{n}",
                if s.is_procedure {
                    "PROCEDURE"
                } else {
                    "FUNCTION"
                }
            )
        }
        N::CreateTrigStmt(s) => {
            if let Some(r) = &s.relation {
                creates.push(sub_key("trigger", r, &s.trigname));
            }
            format!("CREATE TRIGGER {}", s.trigname)
        }
        N::CreatePolicyStmt(s) => {
            if let Some(r) = &s.table {
                creates.push(sub_key("policy", r, &s.policy_name));
            }
            format!("CREATE POLICY {}", s.policy_name)
        }
        N::CommentStmt(_) => "COMMENT".into(),
        N::GrantStmt(_) => "GRANT".into(),
        N::AlterTableStmt(s) => {
            let r = s.relation.as_ref();
            // Constraints added here can be commented on or validated later.
            for c in &s.cmds {
                if let Some(N::AlterTableCmd(cmd)) = &c.node
                    && let Some(N::Constraint(k)) = cmd.def.as_ref().and_then(|d| d.node.as_ref())
                    && !k.conname.is_empty()
                    && let Some(r) = r
                {
                    creates.push(sub_key("constraint", r, &k.conname));
                }
            }
            format!(
                "ALTER TABLE {}",
                r.map(|r| rel_key(&r.schemaname, &r.relname))
                    .unwrap_or_default()
                    .trim_start_matches("rel:")
            )
        }
        other => {
            let name = format!("{other:?}");
            name.split('(').next().unwrap_or("statement").to_string()
        }
    };
    let mut references = BTreeSet::new();
    if let Ok(v) = serde_json::to_value(&node) {
        walk_refs(&v, &mut references);
    }
    // Comments, grants and ALTERs of an object come after the object: their references
    // cover that. A statement does not depend on what it creates itself.
    for c in &creates {
        references.remove(c);
    }
    // Whatever a statement creates lives in a schema that must exist first.
    for c in &creates {
        if let Some((kind, rest)) = c.split_once(':')
            && !matches!(kind, "schema" | "ext")
            && let Some((sc, _)) = rest.split_once('.')
        {
            references.insert(format!("schema:{sc}"));
        }
    }
    Statement {
        file,
        offset,
        text,
        creates: creates.into_iter().map(Name::from).collect(),
        references: Refs::from(references),
        summary,
        renames: Vec::new(),
        extension: matches!(node, NodeEnum::CreateExtensionStmt(_)),
        node: encode(node),
    }
}

/// The annotation that declares a rename.
const RENAMED_FROM: &str = "pgdiff:renamed-from";

/// Reads an identifier as Postgres would: quoted as written, unquoted folded to lower case.
fn annotation_ident(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    out.push('"');
                } else {
                    return Some(out);
                }
            } else {
                out.push(c);
            }
        }
        None
    } else {
        let word: String = s
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
            .collect();
        (!word.is_empty()).then(|| word.to_lowercase())
    }
}

/// Renames declared in a statement: an annotation in the comments before it renames the
/// object it creates; an annotation on the line before a column definition renames the
/// column.
fn annotated_renames(leading: &str, text: &str, node: &NodeEnum) -> Vec<(ObjectId, ObjectId)> {
    let mut out = Vec::new();
    let (kind, rel) = match node {
        NodeEnum::CreateStmt(s) => (ObjectKind::Table, s.relation.as_ref()),
        NodeEnum::ViewStmt(s) => (ObjectKind::View, s.view.as_ref()),
        NodeEnum::CreateSeqStmt(s) => (ObjectKind::Sequence, s.sequence.as_ref()),
        NodeEnum::CreateTableAsStmt(s) => (
            ObjectKind::MaterializedView,
            s.into.as_ref().and_then(|i| i.rel.as_ref()),
        ),
        NodeEnum::IndexStmt(s) => {
            let schema = s
                .relation
                .as_ref()
                .map(|r| r.schemaname.clone())
                .unwrap_or_default();
            let schema = if schema.is_empty() {
                "public".to_string()
            } else {
                schema
            };
            if let Some(old) = leading
                .lines()
                .find_map(|l| l.split_once(RENAMED_FROM))
                .and_then(|(_, r)| annotation_ident(r))
            {
                out.push((
                    ObjectId::of(ObjectKind::Index, &QualName::new(&schema, &s.idxname)),
                    ObjectId::of(ObjectKind::Index, &QualName::new(&schema, old)),
                ));
            }
            return out;
        }
        NodeEnum::CreateEnumStmt(s) => {
            let names = strings(&s.type_name);
            if let (Some((sc, n)), Some(old)) = (
                qualified(&names),
                leading
                    .lines()
                    .find_map(|l| l.split_once(RENAMED_FROM))
                    .and_then(|(_, r)| annotation_ident(r)),
            ) {
                out.push((
                    ObjectId::of(ObjectKind::Enum, &QualName::new(&sc, n)),
                    ObjectId::of(ObjectKind::Enum, &QualName::new(&sc, old)),
                ));
            }
            return out;
        }
        _ => return out,
    };
    let Some(rel) = rel else { return out };
    let schema = if rel.schemaname.is_empty() {
        "public"
    } else {
        &rel.schemaname
    };
    let q = QualName::new(schema, &rel.relname);
    if let Some(old) = leading
        .lines()
        .find_map(|l| l.split_once(RENAMED_FROM))
        .and_then(|(_, r)| annotation_ident(r))
    {
        out.push((
            ObjectId::of(kind, &q),
            ObjectId::of(kind, &QualName::new(schema, old)),
        ));
    }
    if kind == ObjectKind::Table {
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let Some(old) = l
                .split_once(RENAMED_FROM)
                .and_then(|(_, r)| annotation_ident(r))
            else {
                continue;
            };
            // The column defined on the next line that is not blank or a comment.
            let next = lines[i + 1..]
                .iter()
                .map(|n| n.trim())
                .find(|n| !n.is_empty() && !n.starts_with("--"));
            if let Some(new) = next.and_then(annotation_ident) {
                out.push((ObjectId::column(&q, &new), ObjectId::column(&q, &old)));
            }
        }
    }
    out
}

/// All renames declared in the statements: new identity → old identity.
pub fn renames(stmts: &[Statement]) -> std::collections::BTreeMap<ObjectId, ObjectId> {
    stmts
        .iter()
        .flat_map(|s| s.renames.iter().cloned())
        .collect()
}

fn json_strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.pointer("/node/String/sval").and_then(|s| s.as_str()))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Collects references from a statement's JSON tree: relations (RangeVar), types
/// (TypeName), functions (FuncCall, trigger functions), sequences named in `nextval('...')`
/// and the schemas of all of those.
fn walk_refs(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            // Messages embedded as plain fields carry no type name: recognise them by shape.
            if map.contains_key("relname") && map.contains_key("schemaname") {
                let sc = map["schemaname"].as_str().unwrap_or("");
                let n = map["relname"].as_str().unwrap_or("");
                out.insert(rel_key(sc, n));
                out.insert(format!(
                    "schema:{}",
                    if sc.is_empty() { "public" } else { sc }
                ));
            }
            if map.contains_key("names")
                && map.contains_key("typemod")
                && let Some((sc, n)) = qualified(&json_strings(&map["names"]))
            {
                out.insert(format!("type:{sc}.{n}"));
                out.insert(format!("schema:{sc}"));
            }
            if map.contains_key("objname")
                && map.contains_key("objargs")
                && let Some((sc, n)) = qualified(&json_strings(&map["objname"]))
            {
                out.insert(format!("func:{sc}.{n}"));
                out.insert(format!("schema:{sc}"));
            }
            for (k, val) in map {
                match k.as_str() {
                    "FuncCall" => {
                        let names = json_strings(&val["funcname"]);
                        if let Some((sc, n)) = qualified(&names) {
                            out.insert(format!("func:{sc}.{n}"));
                            out.insert(format!("schema:{sc}"));
                            if n == "nextval" || n == "currval" || n == "setval" {
                                seq_arg(val, out);
                            }
                        }
                    }
                    "CreateTrigStmt" => {
                        if let Some((sc, n)) = qualified(&json_strings(&val["funcname"])) {
                            out.insert(format!("func:{sc}.{n}"));
                        }
                    }
                    "AlterTableStmt" => {
                        // ENABLE/DISABLE TRIGGER x, VALIDATE CONSTRAINT x, ...: whatever of
                        // the table the command names.
                        let sc = val
                            .pointer("/relation/schemaname")
                            .and_then(|x| x.as_str())
                            .unwrap_or("");
                        let sc = if sc.is_empty() { "public" } else { sc };
                        let t = val
                            .pointer("/relation/relname")
                            .and_then(|x| x.as_str())
                            .unwrap_or("");
                        for c in val["cmds"].as_array().into_iter().flatten() {
                            if let Some(name) = c
                                .pointer("/node/AlterTableCmd/name")
                                .and_then(|x| x.as_str())
                                && !name.is_empty()
                            {
                                for k in ["trigger", "policy", "constraint"] {
                                    out.insert(format!("{k}:{sc}.{t}.{name}"));
                                }
                            }
                        }
                    }
                    "AlterEnumStmt" | "AlterDomainStmt" => {
                        if let Some((sc, n)) = qualified(&json_strings(&val["type_name"])) {
                            out.insert(format!("type:{sc}.{n}"));
                        }
                    }
                    "CreateExtensionStmt" => {
                        // WITH SCHEMA s: the schema comes first.
                        for o in val["options"].as_array().into_iter().flatten() {
                            if o.pointer("/node/DefElem/defname").and_then(|d| d.as_str())
                                == Some("schema")
                                && let Some(s) = o
                                    .pointer("/node/DefElem/arg/node/String/sval")
                                    .and_then(|x| x.as_str())
                            {
                                out.insert(format!("schema:{s}"));
                            }
                        }
                    }
                    "CommentStmt" | "GrantStmt" | "AlterOwnerStmt" => {
                        // The commented or granted object, named by a list of strings: every
                        // reading of the list is a reference (these statements are leaves,
                        // so extra edges cannot form cycles).
                        let mut names = Vec::new();
                        collect_svals(val, &mut names);
                        for w in 1..=names.len().min(3) {
                            for win in names.windows(w) {
                                let v: Vec<String> = win.to_vec();
                                if let Some((sc, n)) = qualified(&v) {
                                    for k in ["rel", "type", "func"] {
                                        out.insert(format!("{k}:{sc}.{n}"));
                                    }
                                    out.insert(format!("schema:{sc}"));
                                }
                                // TRIGGER / POLICY / CONSTRAINT x ON [schema.]table.
                                let sub = match v.as_slice() {
                                    [t, x] => Some(("public", t, x)),
                                    [sc, t, x] => Some((sc.as_str(), t, x)),
                                    _ => None,
                                };
                                if let Some((sc, t, x)) = sub {
                                    for k in ["trigger", "policy", "constraint"] {
                                        out.insert(format!("{k}:{sc}.{t}.{x}"));
                                    }
                                }
                                if w == 1 {
                                    out.insert(format!("schema:{}", v[0]));
                                    out.insert(format!("ext:{}", v[0]));
                                }
                            }
                        }
                    }
                    _ => {}
                }
                walk_refs(val, out);
            }
        }
        serde_json::Value::Array(a) => {
            for x in a {
                walk_refs(x, out);
            }
        }
        _ => {}
    }
}

fn seq_arg(call: &serde_json::Value, out: &mut BTreeSet<String>) {
    let Some(arg) = call
        .get("args")
        .and_then(|a| a.as_array())
        .and_then(|a| a.first())
    else {
        return;
    };
    let mut found = Vec::new();
    collect_svals(arg, &mut found);
    if let Some(s) = found.first() {
        let parts: Vec<String> = s
            .split('.')
            .map(|p| p.trim_matches('"').to_string())
            .collect();
        if let Some((sc, n)) = qualified(&parts) {
            out.insert(rel_key(&sc, &n));
        }
    }
}

fn collect_svals(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, val) in map {
                if k == "sval"
                    && let Some(s) = val.as_str()
                {
                    out.push(s.to_string());
                }
                collect_svals(val, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_svals(x, out)),
        _ => {}
    }
}

/// An ordering failure: a true cycle between statements.
#[derive(Debug, Clone)]
pub struct CycleError {
    /// The statements in the cycle, described with their location.
    pub members: Vec<String>,
}

/// Orders statements so that each comes after the statements creating what it references.
/// Statements without a visible dependency keep their source order (files in path order).
/// Foreign keys that close a cycle are moved to `ALTER TABLE ... ADD CONSTRAINT` statements
/// after the tables.
pub fn order_statements(
    files: &[SourceFile],
    mut stmts: Vec<Statement>,
) -> Result<Vec<Statement>, CycleError> {
    match try_order(&stmts) {
        Ok(order) => Ok(apply_order(stmts, order)),
        Err(stuck) => {
            // Move foreign keys out of the CREATE TABLE statements in the cycle, then retry.
            let mut extra = Vec::new();
            for &i in &stuck {
                if let Some(fks) = split_foreign_keys(&mut stmts[i]) {
                    extra.extend(fks);
                }
            }
            if extra.is_empty() {
                return Err(cycle_error(files, &stmts, &stuck));
            }
            stmts.extend(extra);
            match try_order(&stmts) {
                Ok(order) => Ok(apply_order(stmts, order)),
                Err(stuck) => Err(cycle_error(files, &stmts, &stuck)),
            }
        }
    }
}

fn cycle_error(files: &[SourceFile], stmts: &[Statement], stuck: &[usize]) -> CycleError {
    CycleError {
        members: stuck
            .iter()
            .map(|&i| {
                let s = &stmts[i];
                let (line, _, _) = locate(&files[s.file].text, s.offset);
                format!("{} ({}:{line})", s.summary, files[s.file].path.display())
            })
            .collect(),
    }
}

fn apply_order(stmts: Vec<Statement>, order: Vec<usize>) -> Vec<Statement> {
    let mut slots: Vec<Option<Statement>> = stmts.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(|i| slots[i].take().expect("each statement once"))
        .collect()
}

/// Kahn's algorithm over statements, smallest source position first. Returns the statements
/// left in a cycle on failure.
fn try_order(stmts: &[Statement]) -> Result<Vec<usize>, Vec<usize>> {
    let mut creators: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in stmts.iter().enumerate() {
        for c in &s.creates {
            creators.entry(c.as_str()).or_default().push(i);
        }
    }
    let mut g: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..stmts.len()).map(|i| g.add_node(i)).collect();
    let mut edges = BTreeSet::new();
    let extensions: Vec<usize> = (0..stmts.len()).filter(|&i| stmts[i].extension).collect();
    for (i, s) in stmts.iter().enumerate() {
        let is_ext = s.extension;
        for r in &s.references {
            for &c in creators.get(r.as_str()).into_iter().flatten() {
                if c != i {
                    edges.insert((c, i));
                }
            }
        }
        // Extensions may provide types and functions pg_query cannot attribute: they come
        // before everything else, except what they need themselves (their schema).
        if !is_ext {
            for &j in &extensions {
                if !s
                    .creates
                    .iter()
                    .any(|c| stmts[j].references.contains(c.as_str()))
                {
                    edges.insert((j, i));
                }
            }
        }
    }
    for (a, b) in edges {
        g.add_edge(nodes[a], nodes[b], ());
    }
    let key = |i: usize| (stmts[i].file, stmts[i].offset, i);
    let mut indeg: Vec<usize> = g
        .node_indices()
        .map(|n| {
            g.neighbors_directed(n, petgraph::Direction::Incoming)
                .count()
        })
        .collect();
    let mut heap = BinaryHeap::new();
    for n in g.node_indices() {
        if indeg[n.index()] == 0 {
            heap.push(Reverse((key(g[n]), n)));
        }
    }
    let mut order = Vec::new();
    while let Some(Reverse((_, n))) = heap.pop() {
        order.push(g[n]);
        for m in g.neighbors_directed(n, petgraph::Direction::Outgoing) {
            indeg[m.index()] -= 1;
            if indeg[m.index()] == 0 {
                heap.push(Reverse((key(g[m]), m)));
            }
        }
    }
    if order.len() == stmts.len() {
        Ok(order)
    } else {
        let placed: BTreeSet<usize> = order.into_iter().collect();
        Err((0..stmts.len()).filter(|i| !placed.contains(i)).collect())
    }
}

/// Removes foreign-key constraints from a CREATE TABLE statement, rewriting its text, and
/// returns `ALTER TABLE ... ADD CONSTRAINT` statements for them.
fn split_foreign_keys(s: &mut Statement) -> Option<Vec<Statement>> {
    use pg_query::protobuf::{
        AlterTableCmd, AlterTableStmt, AlterTableType, ConstrType, Node, ObjectType,
    };
    let mut node = s.node();
    let NodeEnum::CreateStmt(create) = &mut node else {
        return None;
    };
    let relation = create.relation.clone()?;
    let mut fks = Vec::new();
    let is_fk = |n: &Node| matches!(&n.node, Some(NodeEnum::Constraint(c)) if c.contype() == ConstrType::ConstrForeign);
    let mut kept = Vec::new();
    for elt in std::mem::take(&mut create.table_elts) {
        match elt.node {
            Some(NodeEnum::Constraint(ref c)) if c.contype() == ConstrType::ConstrForeign => {
                fks.push((**c).clone());
            }
            Some(NodeEnum::ColumnDef(mut col)) => {
                let mut other = Vec::new();
                for c in std::mem::take(&mut col.constraints) {
                    if is_fk(&c) {
                        if let Some(NodeEnum::Constraint(mut k)) = c.node {
                            k.fk_attrs = vec![Node {
                                node: Some(NodeEnum::String(pg_query::protobuf::String {
                                    sval: col.colname.clone(),
                                })),
                            }];
                            fks.push(*k);
                        }
                    } else {
                        other.push(c);
                    }
                }
                col.constraints = other;
                kept.push(Node {
                    node: Some(NodeEnum::ColumnDef(col)),
                });
            }
            other => kept.push(Node { node: other }),
        }
    }
    create.table_elts = kept;
    if fks.is_empty() {
        return None;
    }
    let text = node.deparse(pg_query::DeparseOptions::default()).ok()?;
    let mut out = Vec::new();
    for fk in fks {
        let cmd = AlterTableCmd {
            subtype: AlterTableType::AtAddConstraint as i32,
            behavior: pg_query::protobuf::DropBehavior::DropRestrict as i32,
            def: Some(Box::new(Node {
                node: Some(NodeEnum::Constraint(Box::new(fk))),
            })),
            ..Default::default()
        };
        let alter = NodeEnum::AlterTableStmt(AlterTableStmt {
            relation: Some(relation.clone()),
            cmds: vec![Node {
                node: Some(NodeEnum::AlterTableCmd(Box::new(cmd))),
            }],
            objtype: ObjectType::ObjectTable as i32,
            missing_ok: false,
        });
        let alter_text = alter.deparse(pg_query::DeparseOptions::default()).ok()?;
        let mut st = describe(s.file, s.offset, Text::Rewritten(alter_text), alter);
        st.summary = format!("{} (foreign key moved out of CREATE TABLE)", st.summary);
        out.push(st);
    }
    // The table itself no longer references the tables its foreign keys pointed to.
    let mut refs = BTreeSet::new();
    if let Ok(v) = serde_json::to_value(&node) {
        walk_refs(&v, &mut refs);
    }
    for c in &s.creates {
        refs.remove(c.as_str());
    }
    s.references = Refs::from(refs);
    s.text = Text::Rewritten(text);
    s.set_node(node);
    Some(out)
}

/// How a statement takes part in a concurrent load (see [`concurrent_schedule`]).
enum Access {
    /// Writes what it creates; reads what it references.
    Create,
    /// Writes what it creates and the relation it is defined on (indexes, triggers,
    /// policies: their generated names and locks are per table); reads what it references.
    OnRelation(String),
    /// Changes what it references (ALTER): every key it names that a statement creates is
    /// written; the rest (implicitly created objects) only read.
    Alter,
    /// A comment: nothing reads comments, so it only reads what it names, and keeps its
    /// order with other comments on the same object.
    Comment,
    /// Runs alone: after everything before it, before everything after it.
    Barrier,
}

fn access(node: &NodeEnum) -> Option<Access> {
    use NodeEnum as N;
    let rel = |r: Option<&pg_query::protobuf::RangeVar>| {
        r.map(|r| rel_key(&r.schemaname, &r.relname))
            .unwrap_or_default()
    };
    Some(match node {
        N::CreateSchemaStmt(_)
        | N::CreateEnumStmt(_)
        | N::CreateDomainStmt(_)
        | N::CompositeTypeStmt(_)
        | N::CreateRangeStmt(_)
        | N::CreateStmt(_)
        | N::CreateSeqStmt(_)
        | N::ViewStmt(_)
        | N::CreateTableAsStmt(_) => Access::Create,
        N::IndexStmt(s) => Access::OnRelation(rel(s.relation.as_ref())),
        N::CreateTrigStmt(s) => Access::OnRelation(rel(s.relation.as_ref())),
        N::CreatePolicyStmt(s) => Access::OnRelation(rel(s.table.as_ref())),
        N::AlterTableStmt(_)
        | N::AlterSeqStmt(_)
        | N::AlterEnumStmt(_)
        | N::AlterDomainStmt(_)
        | N::AlterPolicyStmt(_) => Access::Alter,
        N::CommentStmt(_) => Access::Comment,
        // Extensions bring objects pg_query cannot name; SQL function bodies are checked at
        // creation against tables the parse does not attribute; grants may name whole
        // schemas; the rest is rare: all of them run alone.
        N::CreateExtensionStmt(_)
        | N::CreateFunctionStmt(_)
        | N::GrantStmt(_)
        | N::AlterFunctionStmt(_)
        | N::AlterOwnerStmt(_)
        | N::AlterExtensionStmt(_)
        | N::DefineStmt(_)
        | N::CreateCastStmt(_)
        | N::CreateOpClassStmt(_)
        | N::CreateStatsStmt(_)
        | N::CreateForeignTableStmt(_)
        | N::RuleStmt(_) => Access::Barrier,
        // Session settings (SET) hold for one connection only: no concurrent load.
        _ => return None,
    })
}

/// Bytes of a name that every name Postgres generates from it keeps: generated names
/// (`makeObjectName`) shorten the relation or type name to fit 63 bytes with the label, the
/// column names and a number, never below 22 bytes.
const KEPT_PREFIX: usize = 16;

/// The keys under which a name (a relation's or type's, from which Postgres generates names,
/// or a name given explicitly) can meet another in the choice of a generated name. Postgres
/// chooses names of unnamed constraints, indexes, sequences, array types and (18+) NOT NULL
/// constraints unique across the schema, each starting with the name of the relation or type
/// it belongs to, possibly shortened; two such names can only be equal if one source is the
/// other up to an underscore, or if they share their first [`KEPT_PREFIX`] bytes. So every
/// prefix ending before an underscore, the whole name, and the first bytes are keys.
fn name_keys(schema: &str, name: &str, out: &mut Vec<String>) {
    let schema = if schema.is_empty() { "public" } else { schema };
    // (Not the empty prefix of `_name`: no name is empty.)
    for (i, _) in name.match_indices('_').filter(|&(i, _)| i > 0) {
        out.push(format!("name:{schema}:{}", &name[..i]));
    }
    out.push(format!("name:{schema}:{name}"));
    if name.len() > KEPT_PREFIX {
        let mut end = KEPT_PREFIX;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        out.push(format!("name:{schema}:{}*", &name[..end]));
    }
}

/// Constraint and index names given explicitly in constraint nodes.
fn constraint_names(nodes: &[pg_query::protobuf::Node], out: &mut Vec<String>) {
    for n in nodes {
        match &n.node {
            Some(NodeEnum::Constraint(k)) => {
                out.extend([k.conname.clone(), k.indexname.clone()]);
            }
            Some(NodeEnum::ColumnDef(c)) => constraint_names(&c.constraints, out),
            _ => {}
        }
    }
}

/// The names a statement may generate from, or give, in its schema, as [`name_keys`]:
/// the relation or type it creates or alters (and its array type), the names it gives
/// explicitly, and `others` (schema, name) that earlier statements make it reach (see
/// [`NameSources`]).
fn generated_name_keys(node: &NodeEnum, others: &[(String, String)]) -> Vec<String> {
    use NodeEnum as N;
    let mut keys = Vec::new();
    let mut given = Vec::new();
    // A relation or type, and its array type (`_name`, also chosen unique).
    let with_array = |sc: &str, n: &str, keys: &mut Vec<String>| {
        name_keys(sc, n, keys);
        name_keys(sc, &format!("_{n}"), keys);
    };
    let schema = match node {
        N::CreateStmt(s) => {
            let Some(r) = &s.relation else { return keys };
            with_array(&r.schemaname, &r.relname, &mut keys);
            constraint_names(&s.table_elts, &mut given);
            constraint_names(&s.constraints, &mut given);
            r.schemaname.clone()
        }
        N::IndexStmt(s) => {
            let Some(r) = &s.relation else { return keys };
            name_keys(&r.schemaname, &r.relname, &mut keys);
            given.push(s.idxname.clone());
            r.schemaname.clone()
        }
        N::AlterTableStmt(s) => {
            let Some(r) = &s.relation else { return keys };
            name_keys(&r.schemaname, &r.relname, &mut keys);
            for c in &s.cmds {
                if let Some(N::AlterTableCmd(cmd)) = &c.node {
                    match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                        Some(N::PartitionCmd(p)) => {
                            if let Some(part) = &p.name {
                                name_keys(&part.schemaname, &part.relname, &mut keys);
                            }
                        }
                        Some(def) => constraint_names(
                            &[pg_query::protobuf::Node {
                                node: Some(def.clone()),
                            }],
                            &mut given,
                        ),
                        None => {}
                    }
                }
            }
            r.schemaname.clone()
        }
        N::CreateSeqStmt(s) => {
            let Some(r) = &s.sequence else { return keys };
            with_array(&r.schemaname, &r.relname, &mut keys);
            r.schemaname.clone()
        }
        N::ViewStmt(s) => {
            let Some(r) = &s.view else { return keys };
            with_array(&r.schemaname, &r.relname, &mut keys);
            r.schemaname.clone()
        }
        N::CreateTableAsStmt(s) => {
            let Some(r) = s.into.as_ref().and_then(|i| i.rel.as_ref()) else {
                return keys;
            };
            with_array(&r.schemaname, &r.relname, &mut keys);
            r.schemaname.clone()
        }
        N::CompositeTypeStmt(s) => {
            let Some(r) = &s.typevar else { return keys };
            with_array(&r.schemaname, &r.relname, &mut keys);
            r.schemaname.clone()
        }
        N::CreateEnumStmt(_)
        | N::CreateRangeStmt(_)
        | N::CreateDomainStmt(_)
        | N::AlterDomainStmt(_) => {
            let names = match node {
                N::CreateEnumStmt(s) => &s.type_name,
                N::CreateRangeStmt(s) => &s.type_name,
                N::CreateDomainStmt(s) => &s.domainname,
                N::AlterDomainStmt(s) => &s.type_name,
                _ => unreachable!("matched above"),
            };
            let Some((sc, n)) = qualified(&strings(names)) else {
                return keys;
            };
            with_array(&sc, &n, &mut keys);
            // A range type comes with a multirange type (`range` in the name replaced by
            // `multirange`, else `_multirange` appended) and its array type.
            if let N::CreateRangeStmt(_) = node {
                with_array(&sc, &n.replacen("range", "multirange", 1), &mut keys);
                with_array(&sc, &format!("{n}_multirange"), &mut keys);
            }
            if let N::CreateDomainStmt(s) = node {
                constraint_names(&s.constraints, &mut given);
            }
            if let N::AlterDomainStmt(s) = node
                && let Some(def) = &s.def
            {
                constraint_names(std::slice::from_ref(def.as_ref()), &mut given);
            }
            sc
        }
        _ => return keys,
    };
    for g in given.iter().filter(|g| !g.is_empty()) {
        name_keys(&schema, g, &mut keys);
    }
    for (sc, n) in others {
        name_keys(sc, n, &mut keys);
    }
    keys
}

/// What earlier statements said about relations, for the names a statement makes Postgres
/// generate on relations it does not name: the partitions and children of a table (an index
/// or key on it is created on them too, named from them), the tables whose foreign keys
/// reference a table (a new partition of it gets a copy of each, named from the referencing
/// table), and the constraint names a table was given (copied to a child in another schema).
/// Relations by `rel_key`; names as (schema, name).
#[derive(Default)]
struct NameSources {
    children: BTreeMap<String, Vec<(String, String)>>,
    parents: BTreeMap<String, Vec<String>>,
    referencing: BTreeMap<String, Vec<(String, String)>>,
    constraints: BTreeMap<String, Vec<String>>,
}

impl NameSources {
    /// The name keys statement `node` writes; then records what it says about relations.
    fn keys(&mut self, node: &NodeEnum) -> Vec<String> {
        use NodeEnum as N;
        let rv_key = |r: &pg_query::protobuf::RangeVar| rel_key(&r.schemaname, &r.relname);
        let mut extra: Vec<(String, String)> = Vec::new();
        // An index or ALTER reaches the partitions and children of its table.
        let on = match node {
            N::IndexStmt(x) => x.relation.as_ref(),
            N::AlterTableStmt(x) => x.relation.as_ref(),
            _ => None,
        };
        if let Some(r) = on {
            let mut todo = vec![rv_key(r)];
            while let Some(k) = todo.pop() {
                for (sc, n) in self.children.get(&k).into_iter().flatten() {
                    extra.push((sc.clone(), n.clone()));
                    todo.push(rel_key(sc, n));
                }
            }
        }
        // New children: (child, parent) from CREATE TABLE ... PARTITION OF / INHERITS / LIKE
        // and ALTER TABLE ... ATTACH PARTITION / INHERIT.
        let mut adopted: Vec<(
            pg_query::protobuf::RangeVar,
            pg_query::protobuf::RangeVar,
            bool,
        )> = Vec::new();
        let mut fks: Vec<(pg_query::protobuf::RangeVar, pg_query::protobuf::RangeVar)> = Vec::new();
        let mut given: Vec<(pg_query::protobuf::RangeVar, String)> = Vec::new();
        let mut constraint_nodes =
            |table: &pg_query::protobuf::RangeVar, nodes: &[pg_query::protobuf::Node]| {
                for n in nodes {
                    let ks: Vec<&pg_query::protobuf::Constraint> = match &n.node {
                        Some(N::Constraint(k)) => vec![k],
                        Some(N::ColumnDef(c)) => c
                            .constraints
                            .iter()
                            .filter_map(|n| match &n.node {
                                Some(N::Constraint(k)) => Some(k.as_ref()),
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    for k in ks {
                        if let Some(pk) = &k.pktable {
                            fks.push((table.clone(), pk.clone()));
                        }
                        if !k.conname.is_empty() {
                            given.push((table.clone(), k.conname.clone()));
                        }
                    }
                }
            };
        match node {
            N::CreateStmt(x) => {
                if let Some(r) = &x.relation {
                    for p in &x.inh_relations {
                        if let Some(N::RangeVar(parent)) = &p.node {
                            adopted.push((r.clone(), parent.clone(), true));
                        }
                    }
                    for e in &x.table_elts {
                        if let Some(N::TableLikeClause(l)) = &e.node
                            && let Some(src) = &l.relation
                        {
                            adopted.push((r.clone(), src.clone(), false));
                        }
                    }
                    constraint_nodes(r, &x.table_elts);
                    constraint_nodes(r, &x.constraints);
                }
            }
            N::AlterTableStmt(x) => {
                if let Some(r) = &x.relation {
                    for c in &x.cmds {
                        let Some(N::AlterTableCmd(cmd)) = &c.node else {
                            continue;
                        };
                        match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                            Some(N::PartitionCmd(pc)) => {
                                if let Some(part) = &pc.name
                                    && cmd.subtype
                                        == pg_query::protobuf::AlterTableType::AtAttachPartition
                                            as i32
                                {
                                    adopted.push((part.clone(), r.clone(), true));
                                }
                            }
                            Some(N::RangeVar(parent))
                                if cmd.subtype
                                    == pg_query::protobuf::AlterTableType::AtAddInherit as i32 =>
                            {
                                adopted.push((r.clone(), parent.clone(), true));
                            }
                            Some(def) => constraint_nodes(
                                r,
                                &[pg_query::protobuf::Node {
                                    node: Some(def.clone()),
                                }],
                            ),
                            None => {}
                        }
                    }
                }
            }
            _ => {}
        }
        for (child, parent, _) in &adopted {
            let child_schema = if child.schemaname.is_empty() {
                "public"
            } else {
                &child.schemaname
            };
            // The parent and its ancestors: foreign keys referencing any of them are copied
            // for the new partition, named from the referencing table.
            let mut line = vec![rv_key(parent)];
            let mut i = 0;
            while i < line.len() {
                let up = self.parents.get(&line[i]).cloned().unwrap_or_default();
                line.extend(up);
                i += 1;
            }
            for k in &line {
                extra.extend(self.referencing.get(k).into_iter().flatten().cloned());
            }
            // Constraint names copied into another schema (generated ones start with the
            // parent's name).
            let parent_schema = if parent.schemaname.is_empty() {
                "public"
            } else {
                &parent.schemaname
            };
            if parent_schema != child_schema {
                extra.push((child_schema.to_string(), parent.relname.clone()));
                for c in self.constraints.get(&rv_key(parent)).into_iter().flatten() {
                    extra.push((child_schema.to_string(), c.clone()));
                }
            }
        }
        let keys = generated_name_keys(node, &extra);
        for (child, parent, inherits) in adopted {
            if inherits {
                self.children
                    .entry(rv_key(&parent))
                    .or_default()
                    .push((child.schemaname.clone(), child.relname.clone()));
                self.parents
                    .entry(rv_key(&child))
                    .or_default()
                    .push(rv_key(&parent));
            }
        }
        for (table, pk) in fks {
            self.referencing
                .entry(rv_key(&pk))
                .or_default()
                .push((table.schemaname.clone(), table.relname.clone()));
        }
        for (table, name) in given {
            self.constraints
                .entry(rv_key(&table))
                .or_default()
                .push(name);
        }
        keys
    }
}

/// A schedule for loading `stmts` (in their load order) over several connections, each
/// statement committed on its own: for each statement, the earlier statements that must have
/// completed before it starts. `None` when the statements cannot be loaded concurrently
/// (session settings).
///
/// The schedule keeps the outcome of the serial load: every object a statement reads
/// (references) is written first by the statement that wrote it last before it in load order,
/// and a statement that writes an object (creates it, alters it, comments on it, or defines
/// an index, trigger or policy on it, whose generated names depend on what the relation
/// already has) waits for every earlier statement that read or wrote that object. Schemas
/// are only read by what they hold and order nothing beyond their creation.
pub fn concurrent_schedule(stmts: &[Statement]) -> Option<Vec<Vec<usize>>> {
    let created: BTreeSet<&str> = stmts
        .iter()
        .flat_map(|s| s.creates.iter().map(Name::as_str))
        .collect();
    // Keys by a 64-bit hash of their text, none of which is kept: a large schema's
    // statements write hundreds of thousands of distinct name keys. Two keys with the same
    // hash would only order more statements than needed, never fewer.
    let key = |k: &str| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        k.hash(&mut h);
        h.finish()
    };
    // By key: the statement that wrote it last, and the statements that read it since.
    let mut last_writer: BTreeMap<u64, usize> = BTreeMap::new();
    let mut readers: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    let mut barrier: Option<usize> = None;
    let mut since_barrier: Vec<usize> = Vec::new();
    let mut names = NameSources::default();
    let mut preds = Vec::with_capacity(stmts.len());
    let mut reads: Vec<u64> = Vec::new();
    let mut writes: Vec<u64> = Vec::new();
    for (i, s) in stmts.iter().enumerate() {
        // Each tree decoded once, in order (the name keys depend on the statements before):
        // how the statement takes part, and which name keys it writes. Generated names:
        // every statement writes the keys of the names it may generate or give (see
        // `name_keys`), so statements whose names could meet keep their order.
        let node = s.node();
        let access = access(&node)?;
        let name_writes = names.keys(&node);
        drop(node);
        let mut p: BTreeSet<usize> = barrier.into_iter().collect();
        reads.clear();
        writes.clear();
        let refs = s.references.iter().map(Name::as_str);
        let creates = s.creates.iter().map(Name::as_str);
        match &access {
            Access::Barrier => {
                p.extend(since_barrier.drain(..));
                barrier = Some(i);
                preds.push(p.into_iter().collect());
                continue;
            }
            Access::Create => {
                reads.extend(refs.map(&key));
                writes.extend(creates.map(&key));
            }
            Access::OnRelation(r) => {
                writes.extend(creates.map(&key));
                if let Some(k) = s.references.get(r) {
                    writes.push(key(k.as_str()));
                }
                reads.extend(refs.filter(|k| *k != r.as_str()).map(&key));
            }
            Access::Alter => {
                // Keys a statement creates are written; the rest (implicitly created
                // objects) read, and ALTERs of one of them keep their order among
                // themselves (as `alter:` keys).
                let mut implicit = Vec::new();
                for k in refs {
                    let schema = k.starts_with("schema:");
                    match (created.contains(k), schema) {
                        (true, false) => writes.push(key(k)),
                        (made, _) => {
                            reads.push(key(k));
                            if !made && !schema {
                                implicit.push(key(&format!("alter:{k}")));
                            }
                        }
                    }
                }
                writes.extend(creates.map(&key));
                writes.extend(implicit);
            }
            Access::Comment => {
                // Comments name their object in every way it could be read (table, type,
                // function, ...); two comments on one object name it identically.
                reads.extend(refs.map(&key));
                let target = s.references.iter().map(Name::as_str).collect::<Vec<_>>();
                writes.push(key(&format!("comment:{}", target.join(" "))));
            }
        }
        writes.extend(name_writes.iter().map(|k| key(k)));
        for k in &reads {
            if let Some(&w) = last_writer.get(k) {
                p.insert(w);
            }
            readers.entry(*k).or_default().push(i);
        }
        for k in &writes {
            if let Some(&w) = last_writer.get(k) {
                p.insert(w);
            }
            p.extend(readers.remove(k).unwrap_or_default());
            last_writer.insert(*k, i);
        }
        p.remove(&i);
        since_barrier.push(i);
        preds.push(p.into_iter().collect());
    }
    Some(preds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Vec<SourceFile> {
        vec![SourceFile {
            path: PathBuf::from("desired/20_contacts.sql"),
            text: text.to_string(),
        }]
    }

    #[test]
    fn materialized_views_are_loaded_unpopulated() {
        let mv = "CREATE MATERIALIZED VIEW s.mv AS SELECT 1 AS one";
        assert_eq!(
            without_data(mv).as_deref(),
            Some(format!("{mv} WITH NO DATA").as_str())
        );
        // A closing WITH DATA is replaced, in any case and spacing; the text before it is kept.
        assert_eq!(
            without_data("CREATE MATERIALIZED VIEW s.mv AS SELECT 1 with\n  Data").as_deref(),
            Some("CREATE MATERIALIZED VIEW s.mv AS SELECT 1 WITH NO DATA")
        );
        // A trailing comment stays after the clause; a WITH inside the query is not the clause.
        assert_eq!(
            without_data("CREATE MATERIALIZED VIEW s.mv AS WITH d AS (SELECT 1) TABLE d -- data")
                .as_deref(),
            Some(
                "CREATE MATERIALIZED VIEW s.mv AS WITH d AS (SELECT 1) TABLE d WITH NO DATA -- data"
            )
        );
        assert_eq!(
            without_data("CREATE MATERIALIZED VIEW s.mv AS SELECT 'WITH DATA' /* WITH DATA */")
                .as_deref(),
            Some(
                "CREATE MATERIALIZED VIEW s.mv AS SELECT 'WITH DATA' WITH NO DATA /* WITH DATA */"
            )
        );
        assert_eq!(
            without_data("CREATE MATERIALIZED VIEW s.mv AS SELECT 1 WITH NO DATA"),
            None
        );

        // As parsed: the text to load says WITH NO DATA, and the result parses as the same
        // statement but for that; an unpopulated one is left as written.
        let src = "CREATE MATERIALIZED VIEW public.mv AS SELECT 1 AS one WITH DATA;\n\
                   CREATE MATERIALIZED VIEW public.mv2 AS SELECT 2 AS two WITH NO DATA;\n";
        let files = file(src);
        let stmts = parse_sources(&files).unwrap();
        assert_eq!(
            stmts[0].text(&files),
            "CREATE MATERIALIZED VIEW public.mv AS SELECT 1 AS one WITH NO DATA"
        );
        assert!(stmts[1].span().is_some(), "left as written");
        let reparsed = pg_query::parse(stmts[0].text(&files), 0).unwrap();
        let Some(NodeEnum::CreateTableAsStmt(c)) = reparsed.protobuf.stmts[0]
            .stmt
            .as_ref()
            .and_then(|n| n.node.clone())
        else {
            panic!("not CREATE MATERIALIZED VIEW");
        };
        assert!(c.into.is_some_and(|i| i.skip_data));
    }

    #[test]
    fn parsing_on_several_threads_changes_nothing() {
        // The CRM schema: every statement, in order, whatever the number of threads.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("desired");
        let crm = read_sources(&dir).unwrap();
        let serial = format!("{:?}", parse_sources_on(&crm, 1).unwrap());
        for threads in [2, 3] {
            assert_eq!(
                format!("{:?}", parse_sources_on(&crm, threads).unwrap()),
                serial
            );
        }
        // Errors over many files and chunks: all of them, in file order.
        let files: Vec<SourceFile> = (0..40)
            .map(|i| SourceFile {
                path: PathBuf::from(format!("desired/{i:02}.sql")),
                text: format!(
                    "CREATE TABLE public.t{i} (a int);\n{}{}",
                    (0..5)
                        .map(|j| format!("CREATE INDEX t{i}_{j} ON public.t{i} (a);\n"))
                        .collect::<String>(),
                    match i % 3 {
                        0 => format!("CREATE TABEL public.bad{i} (a int);\n"),
                        1 => format!("INSERT INTO public.t{i} VALUES (1);\n"),
                        _ => String::new(),
                    }
                ),
            })
            .collect();
        let serial = parse_sources_on(&files, 1).unwrap_err().0;
        assert_eq!(serial.len(), 27);
        let order: Vec<_> = serial.iter().map(|e| (e.file.clone(), e.line)).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert_eq!(parse_sources_on(&files, 3).unwrap_err().0, serial);
    }

    #[test]
    fn references_are_a_sorted_set() {
        let refs = Refs::from(BTreeSet::from(
            [
                "type:crm.stage",
                "rel:crm.users",
                "schema:crm",
                "rel:crm.users",
            ]
            .map(String::from),
        ));
        assert_eq!(
            refs.iter().map(Name::as_str).collect::<Vec<_>>(),
            ["rel:crm.users", "schema:crm", "type:crm.stage"]
        );
        assert!(refs.contains("schema:crm") && refs.contains("type:crm.stage"));
        assert!(!refs.contains("rel:crm") && !refs.contains("type:crm.stage2"));
        assert_eq!(
            refs.get("rel:crm.users").map(Name::as_str),
            Some("rel:crm.users")
        );
        assert_eq!(refs.len(), 3);
        assert!(Refs::default().is_empty());
    }

    #[test]
    fn a_statement_tree_reads_back_as_parsed() {
        let sql = "CREATE EXTENSION IF NOT EXISTS citext;\n\
                   CREATE INDEX CONCURRENTLY ix ON public.t (lower(a)) WHERE b > 0;\n\
                   CREATE TABLE public.u (id int PRIMARY KEY, t_id int REFERENCES public.t);\n";
        let files = file(sql);
        let stmts = parse_sources(&files).unwrap();
        assert_eq!(stmts.len(), 3);
        assert_eq!(
            stmts.iter().map(|s| s.extension).collect::<Vec<_>>(),
            [true, false, false]
        );
        // The kept tree is the parsed one (the index no longer built concurrently), compared
        // as deparsed text: token locations differ between the source and the rewrite.
        let deparse = |n: NodeEnum| n.deparse(pg_query::DeparseOptions::default()).unwrap();
        let fresh = |text: &str| {
            deparse(
                pg_query::parse(text, 0).unwrap().protobuf.stmts[0]
                    .stmt
                    .as_ref()
                    .and_then(|n| n.node.clone())
                    .unwrap(),
            )
        };
        assert_eq!(
            deparse(stmts[0].node()),
            fresh("CREATE EXTENSION IF NOT EXISTS citext")
        );
        let text = stmts[1].text(&files);
        assert!(!text.contains("CONCURRENTLY"), "{text}");
        assert_eq!(deparse(stmts[1].node()), text);
        assert_eq!(
            deparse(stmts[2].node()),
            fresh("CREATE TABLE public.u (id int PRIMARY KEY, t_id int REFERENCES public.t)")
        );
    }

    #[test]
    fn syntax_errors_point_at_the_token() {
        let f = file("CREATE TABLE a (id int);\n\nCREATE TABEL b (id int);\n");
        let e = parse_sources(&f).unwrap_err();
        assert_eq!(e.0.len(), 1);
        let e = &e.0[0];
        assert_eq!((e.line, e.col), (3, 8), "{e}");
        assert!(
            e.message.contains("syntax error at or near \"TABEL\""),
            "{e}"
        );
        assert!(
            e.to_string()
                .starts_with("desired/20_contacts.sql:3:8: syntax error")
        );
    }

    #[test]
    fn rejects_non_ddl_with_reasons() {
        let f = file(
            "INSERT INTO a VALUES (1);\nBEGIN;\nDROP TABLE a;\nDO $$ BEGIN END $$;\nSET search_path = x;\nCREATE TABLE ok (i int);\n",
        );
        let e = parse_sources(&f).unwrap_err();
        let lines: Vec<usize> = e.0.iter().map(|x| x.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5]);
        assert!(e.0[0].message.starts_with("DML"));
        assert!(e.0[1].message.starts_with("transaction control"));
        assert!(e.0[2].message.starts_with("DROP"));
        assert!(e.0[3].message.starts_with("a DO block"));
        assert!(e.0[4].message.contains("search_path"));
    }

    #[test]
    fn orders_by_references_and_breaks_fk_cycles() {
        let f = file(
            "CREATE VIEW v AS SELECT * FROM b;\n\
             CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id));\n\
             CREATE TABLE a (id int PRIMARY KEY, b_id int REFERENCES b(id), s crm.mood);\n\
             CREATE TYPE crm.mood AS ENUM ('x');\n\
             CREATE SCHEMA crm;\n",
        );
        let stmts = parse_sources(&f).unwrap();
        let ordered = order_statements(&f, stmts).unwrap();
        let summaries: Vec<&str> = ordered.iter().map(|s| s.summary.as_str()).collect();
        let pos = |p: &str| summaries.iter().position(|s| s.starts_with(p)).unwrap();
        assert!(pos("CREATE SCHEMA crm") < pos("CREATE TYPE crm.mood"));
        assert!(pos("CREATE TYPE crm.mood") < pos("CREATE TABLE public.a"));
        assert!(pos("CREATE TABLE public.b") < pos("CREATE VIEW"));
        assert!(
            summaries.iter().any(|s| s.contains("foreign key moved")),
            "{summaries:?}"
        );
    }

    #[test]
    fn extension_comes_after_its_schema() {
        let f = file(
            "CREATE SCHEMA ext;
             CREATE EXTENSION pg_trgm WITH SCHEMA ext;
             CREATE TABLE t (id int);
",
        );
        let stmts = parse_sources(&f).unwrap();
        let ordered = order_statements(&f, stmts).unwrap();
        let summaries: Vec<&str> = ordered.iter().map(|s| s.summary.as_str()).collect();
        let pos = |p: &str| summaries.iter().position(|s| s.starts_with(p)).unwrap();
        assert!(pos("CREATE SCHEMA ext") < pos("CREATE EXTENSION pg_trgm"));
        assert!(pos("CREATE EXTENSION pg_trgm") < pos("CREATE TABLE"));
    }

    fn summaries_before<'a>(
        stmts: &'a [Statement],
        preds: &[Vec<usize>],
        i: usize,
    ) -> Vec<&'a str> {
        preds[i]
            .iter()
            .map(|&p| stmts[p].summary.as_str())
            .collect()
    }

    #[test]
    fn statements_whose_generated_names_can_meet_keep_their_order() {
        let long = "s".repeat(62);
        let f = file(&format!(
            "CREATE TABLE {long}x (a int CHECK (a > 0));\n\
             CREATE TABLE {long}y (a int CHECK (a > 0));\n\
             CREATE TABLE a (b_c int CHECK (b_c > 0));\n\
             CREATE TABLE a_b (c int CHECK (c > 0));\n\
             CREATE TABLE m1_accounts (id int PRIMARY KEY);\n\
             CREATE TABLE m2_accounts (id int PRIMARY KEY);\n\
             CREATE TABLE x (id int CONSTRAINT m1_accounts_id_check CHECK (id > 0));\n\
             CREATE TABLE parent (id int, at date) PARTITION BY RANGE (at);\n\
             CREATE TABLE part PARTITION OF parent FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n\
             CREATE TABLE part_at (id int);\n\
             CREATE INDEX ON parent (at);\n\
             CREATE INDEX part_at_idx ON part_at (id);\n"
        ));
        let stmts = parse_sources(&f).unwrap();
        let preds = concurrent_schedule(&stmts).unwrap();
        let waits = |later: usize, earlier: usize| preds[later].contains(&earlier);
        // Both truncate to the same generated name: `sss..._a_check`.
        assert!(waits(1, 0), "{preds:?}");
        // `a_b_c_check` either way.
        assert!(waits(3, 2), "{preds:?}");
        // Names of different modules cannot meet.
        assert!(!waits(5, 4), "{preds:?}");
        // An explicit name that a generated name could take.
        assert!(waits(6, 4), "{preds:?}");
        // The index on the partitioned table is created on the partition too, named from it.
        assert!(waits(11, 10), "{preds:?}");
        assert!(waits(10, 8), "{preds:?}");

        let f = file(
            "CREATE SCHEMA s1;\n\
             CREATE SCHEMA s2;\n\
             CREATE TABLE parent (id int, at date) PARTITION BY RANGE (at);\n\
             CREATE TABLE part (id int, at date);\n\
             ALTER TABLE parent ATTACH PARTITION part FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n\
             CREATE TABLE t (x int);\n\
             CREATE INDEX part_at_idx ON t (x);\n\
             CREATE INDEX ON parent (at);\n\
             CREATE TABLE pk (id int PRIMARY KEY) PARTITION BY RANGE (id);\n\
             CREATE TABLE fk_tab (pid int REFERENCES pk);\n\
             CREATE TABLE pk1 PARTITION OF pk FOR VALUES FROM (0) TO (10);\n\
             ALTER TABLE fk_tab ADD FOREIGN KEY (pid) REFERENCES t (x);\n\
             CREATE TABLE s1.base (a int CONSTRAINT base_positive CHECK (a > 0));\n\
             CREATE TABLE s2.child () INHERITS (s1.base);\n\
             CREATE TABLE s2.base_positive (x int CHECK (x > 0));\n",
        );
        let stmts = parse_sources(&f).unwrap();
        let preds = concurrent_schedule(&stmts).unwrap();
        let waits = |later: usize, earlier: usize| preds[later].contains(&earlier);
        // An attached partition is reached by a later index on its parent.
        assert!(waits(7, 6), "{preds:?}");
        // A new partition of a referenced table copies the foreign key, named from fk_tab.
        assert!(waits(11, 10), "{preds:?}");
        // A child in another schema gets its parent's constraint names there.
        assert!(waits(14, 13), "{preds:?}");
    }

    #[test]
    fn concurrent_schedule_keeps_the_serial_outcome() {
        let f = file(
            "CREATE SCHEMA crm;\n\
             CREATE TABLE crm.a (id int PRIMARY KEY);\n\
             CREATE TABLE crm.b (id int PRIMARY KEY, a_id int REFERENCES crm.a(id));\n\
             CREATE TABLE crm.c (id int PRIMARY KEY, a_id int REFERENCES crm.a(id));\n\
             CREATE VIEW crm.v AS SELECT * FROM crm.a;\n\
             ALTER TABLE crm.a ADD COLUMN note text;\n\
             CREATE INDEX ON crm.b (a_id);\n\
             CREATE INDEX ON crm.b (id, a_id);\n\
             COMMENT ON TABLE crm.c IS 'c';\n\
             CREATE FUNCTION crm.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n\
             CREATE TABLE crm.d (id int);\n",
        );
        let stmts = parse_sources(&f).unwrap();
        let stmts = order_statements(&f, stmts).unwrap();
        let preds = concurrent_schedule(&stmts).unwrap();
        let at = |p: &str| stmts.iter().position(|s| s.summary.starts_with(p)).unwrap();
        let (a, b, c, v, alter) = (
            at("CREATE TABLE crm.a"),
            at("CREATE TABLE crm.b"),
            at("CREATE TABLE crm.c"),
            at("CREATE VIEW"),
            at("ALTER TABLE"),
        );
        // Tables referencing the same table do not wait for each other.
        let schema_and_a = vec!["CREATE SCHEMA crm", "CREATE TABLE crm.a"];
        assert_eq!(summaries_before(&stmts, &preds, b), schema_and_a);
        assert_eq!(summaries_before(&stmts, &preds, c), schema_and_a);
        assert_eq!(summaries_before(&stmts, &preds, v), schema_and_a);
        assert!(preds[v].contains(&a));
        // The view saw the table without the column: the ALTER waits for every reader.
        assert!(
            preds[alter].contains(&v) && preds[alter].contains(&b),
            "{preds:?}"
        );
        // Unnamed indexes on one table keep their order (their names depend on it).
        let idx: Vec<usize> = (0..stmts.len())
            .filter(|&i| stmts[i].summary == "CREATE INDEX ")
            .collect();
        assert_eq!(idx.len(), 2);
        assert!(preds[idx[1]].contains(&idx[0]), "{preds:?}");
        assert!(preds[idx[0]].contains(&b), "{preds:?}");
        // Comments wait for their object; nothing waits for a comment but a later comment
        // on the same object.
        let comment = at("COMMENT");
        assert_eq!(
            summaries_before(&stmts, &preds, comment),
            vec!["CREATE SCHEMA crm", "CREATE TABLE crm.c"]
        );
        assert!(
            preds.iter().all(|p| !p.contains(&comment))
                || preds[at("CREATE FUNCTION")].contains(&comment)
        );
        // A function runs alone: after all before it, before all after it.
        let func = at("CREATE FUNCTION");
        assert_eq!(preds[func], (0..func).collect::<Vec<_>>());
        assert_eq!(
            summaries_before(&stmts, &preds, at("CREATE TABLE crm.d")),
            vec!["CREATE SCHEMA crm", "CREATE FUNCTION crm.f"]
        );
        // Two ALTERs of an object no statement names when creating it keep their order.
        let f = file(
            "CREATE TABLE t (id int PRIMARY KEY);\n\
             ALTER INDEX t_pkey SET (fillfactor = 70);\n\
             ALTER INDEX t_pkey SET (fillfactor = 80);\n",
        );
        let stmts = order_statements(&f, parse_sources(&f).unwrap()).unwrap();
        let preds = concurrent_schedule(&stmts).unwrap();
        assert!(preds[2].contains(&1), "{preds:?}");
        // Session settings rule a concurrent load out.
        let f = file("SET check_function_bodies = off;\nCREATE TABLE t (i int);\n");
        let stmts = parse_sources(&f).unwrap();
        assert!(concurrent_schedule(&stmts).is_none());
    }
}
