//! `--ignore` patterns: which objects a drift check leaves out, and the ignore file.
//!
//! A pattern is a glob over object identities (`docs/drift.md`). With a kind prefix
//! (`index:*.hotfix_*`) it is matched against the whole identity `kind:path`; without one
//! (`public.tmp_*`) against the path only, whatever the kind. `*` and `?` match any
//! characters, dots included, so `public.tmp_*` also covers the columns of `public.tmp_x`.
//!
//! Ignoring an object also ignores what lives inside it: a schema's objects, and a table's or
//! view's columns, constraints, indexes, triggers and policies. Ignored objects are removed
//! from *both* models before diffing ([`IgnoreSet::prune`]), not filtered from the report
//! afterwards, so the repair SQL never touches them either (a known hotfix index is not
//! dropped by the suggested repair of an unrelated column).

use crate::model::{ObjectId, ObjectKind, QualName, Schema};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// The name of the ignore file read from the desired directory when `--config` is not given.
pub const IGNORE_FILE: &str = ".pgdiff-ignore";

/// Errors in ignore patterns or ignore files.
#[derive(Debug, thiserror::Error)]
pub enum IgnoreError {
    /// A pattern is not a valid glob, or names an unknown kind.
    #[error("invalid --ignore pattern {pattern:?}{origin}: {reason}")]
    Pattern {
        /// The pattern as written.
        pattern: String,
        /// ` (FILE:LINE)` when it came from a file, else empty.
        origin: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The ignore file could not be read.
    #[error("reading the ignore file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// A compiled set of ignore patterns.
#[derive(Debug, Clone)]
pub struct IgnoreSet {
    /// The patterns as written, in the order given (for reports).
    patterns: Vec<String>,
    /// Patterns with a kind prefix, matched against `kind:path`.
    full: GlobSet,
    /// Patterns without one, matched against the path.
    path: GlobSet,
}

impl Default for IgnoreSet {
    fn default() -> Self {
        IgnoreSet {
            patterns: Vec::new(),
            full: GlobSet::empty(),
            path: GlobSet::empty(),
        }
    }
}

/// Whether `pattern` starts with a kind prefix. A path never has a `:` before its first `.`
/// or `"` (identifiers containing `:` are shown quoted), so text before the first `:` that
/// has neither is a kind, or a glob over kinds such as `*` or `{index,table}`.
fn kind_prefix(pattern: &str) -> Option<&str> {
    let (prefix, _) = pattern.split_once(':')?;
    (!prefix.contains(['.', '"'])).then_some(prefix)
}

fn glob(pattern: &str) -> Result<globset::Glob, String> {
    GlobBuilder::new(pattern)
        // Identities have no path separators; `*` must cross the dots between names.
        .literal_separator(false)
        .backslash_escape(true)
        .build()
        .map_err(|e| e.kind().to_string())
}

impl IgnoreSet {
    /// Compiles patterns given as `(pattern, origin)`; `origin` is shown in errors (empty
    /// for command-line patterns).
    pub fn new<'a>(
        patterns: impl IntoIterator<Item = (&'a str, String)>,
    ) -> Result<IgnoreSet, IgnoreError> {
        let mut full = GlobSetBuilder::new();
        let mut path = GlobSetBuilder::new();
        let mut kept = Vec::new();
        for (p, origin) in patterns {
            let err = |reason: String| IgnoreError::Pattern {
                pattern: p.to_string(),
                origin: origin.clone(),
                reason,
            };
            if p.is_empty() {
                return Err(err("empty pattern".into()));
            }
            match kind_prefix(p) {
                Some(kind) => {
                    // A typo in a literal kind (`idx:`) would silently ignore nothing.
                    let is_glob = kind.contains(['*', '?', '[', '{']);
                    if !is_glob && kind.parse::<ObjectKind>().is_err() {
                        let kinds: Vec<&str> = ObjectKind::ALL.iter().map(|k| k.as_str()).collect();
                        return Err(err(format!(
                            "unknown object kind {kind:?} (one of {})",
                            kinds.join(", ")
                        )));
                    }
                    full.add(glob(p).map_err(err)?);
                }
                None => {
                    path.add(glob(p).map_err(err)?);
                }
            }
            kept.push(p.to_string());
        }
        let build = |b: GlobSetBuilder| {
            b.build().map_err(|e| IgnoreError::Pattern {
                pattern: e.glob().unwrap_or_default().to_string(),
                origin: String::new(),
                reason: e.kind().to_string(),
            })
        };
        Ok(IgnoreSet {
            patterns: kept,
            full: build(full)?,
            path: build(path)?,
        })
    }

    /// The patterns as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether the set ignores nothing.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether a pattern names `id` itself.
    fn names(&self, id: &ObjectId) -> bool {
        self.path.is_match(id.path()) || self.full.is_match(id.to_string())
    }

    /// Whether the relation `q` (a table, view or materialized view) is ignored, together
    /// with its schema.
    fn relation_ignored(&self, q: &QualName) -> bool {
        [
            ObjectKind::Table,
            ObjectKind::View,
            ObjectKind::MaterializedView,
        ]
        .into_iter()
        .any(|k| self.names(&ObjectId::of(k, q)))
            || self.names(&ObjectId::schema(&q.schema))
    }

    /// Whether `id` is ignored: named by a pattern, or inside an ignored schema or relation.
    /// `index_table` is the relation an index is built on (indexes name their table only
    /// in the model, not in their identity).
    pub fn ignores(&self, id: &ObjectId, index_table: Option<&QualName>) -> bool {
        if self.is_empty() {
            return false;
        }
        if self.names(id) {
            return true;
        }
        if !id.kind.is_global() && self.names(&ObjectId::schema(&id.schema)) {
            return true;
        }
        let parent = id.parent_table();
        match parent.as_ref().or(index_table) {
            Some(t) => self.relation_ignored(t),
            None => false,
        }
    }

    /// A copy of `schema` without the objects this set ignores (and without dependency
    /// pairs that mention them).
    pub fn prune(&self, schema: &Schema) -> Schema {
        if self.is_empty() {
            return schema.clone();
        }
        let mut s = schema.clone();
        let ig = |id: &ObjectId| self.ignores(id, None);
        s.schemas.retain(|n, _| !ig(&ObjectId::schema(n)));
        s.extensions.retain(|n, _| !ig(&ObjectId::extension(n)));
        s.enums
            .retain(|q, _| !ig(&ObjectId::of(ObjectKind::Enum, q)));
        s.domains
            .retain(|q, _| !ig(&ObjectId::of(ObjectKind::Domain, q)));
        s.composites
            .retain(|q, _| !ig(&ObjectId::of(ObjectKind::CompositeType, q)));
        s.sequences
            .retain(|q, _| !ig(&ObjectId::of(ObjectKind::Sequence, q)));
        s.tables
            .retain(|q, _| !ig(&ObjectId::of(ObjectKind::Table, q)));
        for (q, t) in &mut s.tables {
            t.columns.retain(|c| !ig(&ObjectId::column(q, &c.name)));
            t.constraints
                .retain(|n, _| !ig(&ObjectId::constraint(q, n)));
        }
        s.views.retain(|q, v| !ig(&ObjectId::of(v.kind(), q)));
        s.indexes
            .retain(|q, i| !self.ignores(&ObjectId::of(ObjectKind::Index, q), Some(&i.table)));
        s.functions.retain(|id, _| !ig(id));
        s.triggers.retain(|id, _| !ig(id));
        s.policies.retain(|id, _| !ig(id));
        // What is left must not point at what was removed: the planner looks dependents up.
        let kept: std::collections::BTreeSet<ObjectId> = s.object_ids().into_iter().collect();
        let removed: std::collections::BTreeSet<ObjectId> = schema
            .object_ids()
            .into_iter()
            .filter(|id| !kept.contains(id))
            .collect();
        s.depends
            .retain(|a, b| !removed.contains(a) && !removed.contains(b));
        s
    }
}

/// Reads an ignore file: one pattern per line; blank lines and lines starting with `#` are
/// skipped; surrounding whitespace is trimmed. Returns `(pattern, " (FILE:LINE)")` pairs.
pub fn read_file(path: &Path) -> Result<Vec<(String, String)>, IgnoreError> {
    let text = std::fs::read_to_string(path).map_err(|source| IgnoreError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(parse_file(&text, path))
}

fn parse_file(text: &str, path: &Path) -> Vec<(String, String)> {
    text.lines()
        .enumerate()
        .map(|(n, l)| (n, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (l.to_string(), format!(" ({}:{})", path.display(), n + 1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(patterns: &[&str]) -> IgnoreSet {
        IgnoreSet::new(patterns.iter().map(|p| (*p, String::new()))).unwrap()
    }

    fn id(s: &str) -> ObjectId {
        s.parse().unwrap()
    }

    #[test]
    fn path_patterns_match_any_kind_and_kind_patterns_only_theirs() {
        let s = set(&["public.tmp_*", "index:*.hotfix_*"]);
        assert!(s.ignores(&id("table:public.tmp_scratch"), None));
        assert!(s.ignores(&id("sequence:public.tmp_seq"), None));
        assert!(!s.ignores(&id("table:public.temp"), None));
        assert!(!s.ignores(&id("table:other.tmp_x"), None));
        assert!(s.ignores(&id("index:crm.hotfix_email"), None));
        assert!(!s.ignores(&id("table:crm.hotfix_email"), None));
        assert!(!s.ignores(&id("index:crm.contacts_hotfix"), None));
    }

    #[test]
    fn contents_of_ignored_tables_and_schemas_are_ignored() {
        let s = set(&["table:crm.legacy", "schema:scratch"]);
        assert!(s.ignores(&id("column:crm.legacy.a"), None));
        assert!(s.ignores(&id("trigger:crm.legacy.t"), None));
        let legacy = QualName::new("crm", "legacy");
        assert!(s.ignores(&id("index:crm.some_idx"), Some(&legacy)));
        assert!(!s.ignores(&id("index:crm.some_idx"), Some(&QualName::new("crm", "x"))));
        assert!(s.ignores(&id("function:scratch.f(integer)"), None));
        assert!(!s.ignores(&id("column:crm.contacts.legacy"), None));
    }

    #[test]
    fn quoted_names_and_kind_globs() {
        let s = set(&["\"My Schema\".*", "{view,materialized_view}:*.report_*"]);
        assert!(s.ignores(&id("table:\"My Schema\".t"), None));
        assert!(s.ignores(&id("materialized_view:crm.report_daily"), None));
        assert!(!s.ignores(&id("table:crm.report_daily"), None));
    }

    #[test]
    fn bad_patterns_are_rejected_with_their_origin() {
        let e = IgnoreSet::new([("idx:*", " (f:3)".to_string())])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown object kind \"idx\"") && e.contains("(f:3)"),
            "{e}"
        );
        let e = IgnoreSet::new([("public.[x", String::new())])
            .unwrap_err()
            .to_string();
        assert!(e.contains("public.[x"), "{e}");
    }

    #[test]
    fn ignore_files_skip_comments_and_blank_lines() {
        let got = parse_file(
            "# hotfixes\n\nindex:*.hotfix_*\n  public.tmp_*  \n",
            Path::new("x"),
        );
        assert_eq!(
            got,
            vec![
                ("index:*.hotfix_*".to_string(), " (x:3)".to_string()),
                ("public.tmp_*".to_string(), " (x:4)".to_string()),
            ]
        );
    }
}
