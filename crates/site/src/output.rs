//! Writing the site to disk, atomically, and checking its internal links.
//!
//! A build writes into a fresh staging folder beside the output folder and swaps it in only
//! when every file is written, so a failed or killed build leaves the previous site intact.
//! zhize only ever deletes its own staging folders and an output folder it made itself
//! (recognised by a marker file), and refuses output folders that would hold the sources.
//!
//! Builds into one output folder exclude each other: a build holds an advisory lock on a
//! file beside the output (`.NAME.zhize-lock`) from the moment it makes its staging folder
//! until the swap is done. Only the holder of that lock removes staging folders left by
//! killed builds, so a folder another build is still filling is never touched.

use memchr::memmem::Finder;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use zhize_core::atomic::{io_error, lock_beside, remove_stale_staging, staging_path, swap_in};
use zhize_core::diagnostic::Diagnostic;
use zhize_core::OutputFile;

/// Marker file written into every output folder: proof that zhize made it and may replace it.
pub const MARKER: &str = ".zhize-output";

/// Make `p` absolute and normalised without requiring it to exist: `.` and `..` are
/// resolved lexically, then symlinks in the part that exists.
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut abs = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                abs.pop();
            }
            Component::CurDir => {}
            other => abs.push(other),
        }
    }
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

/// Refuse an output folder that is `/`, the site root, the content folder, or a parent of
/// either (writing there would replace the sources).
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let out_abs = absolute(out);
    let root_abs = absolute(root);
    let protected = [
        root_abs.clone(),
        root_abs.join("content"),
        root_abs.join("themes"),
        root_abs.join("templates"),
        root_abs.join("static"),
    ];
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "refusing to write the site to {}: {why}",
            out.display()
        ))
        .hint("choose an output folder of its own, such as public/ (the default)"))
    };
    if out_abs.parent().is_none() {
        return refuse("it is the file system root");
    }
    if let Some(home) = std::env::var_os("HOME") {
        if out_abs == absolute(Path::new(&home)) {
            return refuse("it is your home folder");
        }
    }
    for p in &protected {
        if out_abs == *p {
            return refuse("it holds the site's sources");
        }
        if p.starts_with(&out_abs) {
            return refuse("it contains the site's sources");
        }
    }
    // Folders zhize reads: an output inside one would be read (or copied) into the next
    // build, and the site would nest inside itself, growing with every build.
    for read in ["content", "static", "themes", "templates"] {
        if out_abs.starts_with(root_abs.join(read)) {
            return refuse(&format!("it is inside {read}/, which zhize reads"));
        }
    }
    Ok(())
}

/// Write `files` as the new content of `out`, atomically.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let staging = Staging::create(out)?;
    for f in files {
        staging.write(f.clone())?;
    }
    staging.commit()
}

/// The staging folder of a build: files are written into it as soon as they are rendered (from
/// any thread), so a build never holds the whole site in memory; [`Staging::commit`] swaps it
/// in. Dropped without a commit (an error, a panic), it is removed and `out` stays as it was.
///
/// Writer threads of its own create the files, each from a short queue, and each folder has
/// one writer: file systems create the files of one folder one at a time (the folder is
/// locked meanwhile), so threads writing into one folder side by side only wait for each
/// other, spinning on the lock, while writers of different folders work in parallel. A new
/// folder goes to the writer that has been given the fewest files.
pub struct Staging {
    /// The lock on the output folder, held until the staging folder is swapped in or removed.
    _lock: std::fs::File,
    dir: PathBuf,
    out_abs: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
    writers: Vec<Writer>,
    /// Which writer writes each folder, and how many files each writer has been given.
    routes: std::sync::Mutex<(HashMap<String, usize>, Vec<usize>)>,
}

/// The writing thread and its queue.
struct Writer {
    queue: std::sync::mpsc::SyncSender<OutputFile>,
    thread: std::thread::JoinHandle<Result<(), Diagnostic>>,
}

/// Files waiting for a writer, at most: enough to keep it busy, few enough to hold little.
const QUEUE: usize = 128;

/// Writer threads: one a core, at most four.
fn writers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4))
}

impl Writer {
    fn start(dir: PathBuf) -> Writer {
        let (queue, files) = std::sync::mpsc::sync_channel::<OutputFile>(QUEUE);
        let thread = std::thread::spawn(move || {
            // Folders made so far, so that each is made (and looked up) once.
            let mut made: HashSet<PathBuf> = HashSet::new();
            let mut first_error = None;
            for f in files {
                if first_error.is_some() {
                    continue; // drain the queue; the build fails with the first error
                }
                if let Err(d) = write_file(&dir, &mut made, &f) {
                    first_error = Some(d);
                }
            }
            first_error.map_or(Ok(()), Err)
        });
        Writer { queue, thread }
    }

    /// Wait until every queued file is written.
    fn finish(self) -> Result<(), Diagnostic> {
        drop(self.queue);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(Diagnostic::error("the file writer stopped unexpectedly")))
    }
}

/// Write `f` into `dir`, making its folder unless it is among those `made` already.
fn write_file(dir: &Path, made: &mut HashSet<PathBuf>, f: &OutputFile) -> Result<(), Diagnostic> {
    let dest = dir.join(safe_relative(&f.path)?);
    if let Some(folder) = dest.parent() {
        if folder != dir && !made.contains(folder) {
            std::fs::create_dir_all(folder).map_err(|e| io_error(folder, "cannot create", e))?;
            made.insert(folder.to_path_buf());
        }
    }
    std::fs::write(&dest, &f.bytes).map_err(|e| io_error(&dest, "cannot write", e))
}

impl Staging {
    /// Check that `out` may be replaced and create a fresh staging folder beside it.
    pub fn create(out: &Path) -> Result<Staging, Diagnostic> {
        if let Some(target) = dangling_link(out) {
            return Err(Diagnostic::error(format!(
                "{} is a symbolic link to {}, which does not exist",
                out.display(),
                target.display()
            ))
            .hint("create that folder, remove the link, or choose another --output"));
        }
        let out_abs = absolute(out);
        let parent = out_abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = out_abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "cannot create", e))?;
        if out_abs.exists() {
            if !out_abs.is_dir() {
                return Err(Diagnostic::error(format!(
                    "{} exists and is not a folder",
                    out.display()
                ))
                .hint("remove that file or choose another --output"));
            }
            let ours = out_abs.join(MARKER).exists();
            let empty = std::fs::read_dir(&out_abs)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !ours && !empty {
                return Err(Diagnostic::error(format!(
                    "{} already holds files that zhize did not write; refusing to replace them",
                    out.display()
                ))
                .hint(
                    "move those files away, delete the folder yourself, or choose another --output",
                ));
            }
        }
        let lock = lock_output(out, &parent, &name)?;
        // Holding the lock, any staging folder of this output is a killed build's.
        remove_stale_staging(&parent, &name);
        let dir = staging_path(&parent, &name);
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, "cannot create", e))?;
        Ok(Staging {
            _lock: lock,
            writers: (0..writers()).map(|_| Writer::start(dir.clone())).collect(),
            routes: Default::default(),
            dir,
            out_abs,
            parent,
            name,
            committed: false,
        })
    }

    /// Queue one file for the staging folder (from any thread). A path leaving the folder is
    /// refused here; a file that cannot be written fails [`Staging::commit`].
    pub fn write(&self, f: OutputFile) -> Result<(), Diagnostic> {
        safe_relative(&f.path)?;
        let folder = f.path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let writer = match self.routes.lock() {
            Ok(mut routes) => {
                let (by_folder, given) = &mut *routes;
                given.resize(self.writers.len(), 0);
                let w = match by_folder.get(folder) {
                    Some(&w) => w,
                    None => {
                        let least = (0..given.len()).min_by_key(|&w| given[w]).unwrap_or(0);
                        by_folder.insert(folder.to_string(), least);
                        least
                    }
                };
                given[w] += 1;
                self.writers.get(w)
            }
            Err(_) => None,
        };
        match writer.map(|w| w.queue.send(f)) {
            Some(Ok(())) => Ok(()),
            // The writer has stopped: only after a panic, which its join reports.
            _ => Err(Diagnostic::error("the file writer stopped unexpectedly")),
        }
    }

    /// Wait for the queued files, mark the folder as ours and swap it in for `out`.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        for w in std::mem::take(&mut self.writers) {
            w.finish()?;
        }
        std::fs::write(
            self.dir.join(MARKER),
            b"This folder is written by zhize build and replaced on every build.\n",
        )
        .map_err(|e| io_error(&self.dir, "cannot write", e))?;
        swap_in(&self.dir, &self.out_abs, &self.parent, &self.name)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for w in std::mem::take(&mut self.writers) {
            let _ = w.finish();
        }
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Where `p` leads when it is a symbolic link to nothing.
fn dangling_link(p: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(p).ok()?;
    if meta.file_type().is_symlink() && std::fs::metadata(p).is_err() {
        return std::fs::read_link(p).ok();
    }
    None
}

/// Take the lock of the output folder `out` (in `parent`, named `name`), or say that another
/// build holds it. The lock file stays; only the lock is released, when the file closes.
fn lock_output(out: &Path, parent: &Path, name: &str) -> Result<std::fs::File, Diagnostic> {
    match lock_beside(parent, name, false)? {
        Some(file) => Ok(file),
        None => Err(
            Diagnostic::error(format!("another build is writing to {}", out.display()))
                .hint("wait for it to finish and build again, or choose another --output"),
        ),
    }
}

/// A path inside the output folder, or an error for anything that would leave it.
fn safe_relative(p: &str) -> Result<PathBuf, Diagnostic> {
    let path = Path::new(p);
    let ok = !p.is_empty()
        && !p.contains('\0')
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(path.to_path_buf())
    } else {
        Err(Diagnostic::error(format!(
            "internal: output path {p:?} would leave the output folder"
        )))
    }
}

/// A link in the output that points nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub page: String,
    pub href: String,
    pub reason: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: link to {} {}", self.page, self.href, self.reason)
    }
}

/// What the link check keeps of one HTML page, so that pages can be written to disk (and
/// dropped) as soon as they are rendered: hashes of its `id`s and of where its relative
/// links lead (the file and the fragment), and whether a link is broken whatever the other
/// pages hold (empty, absolute, leaving the site). Hashes keep the link data of a site of
/// 50,000 pages in tens of megabytes, not hundreds; a page found with a broken link is read
/// (or rendered) again to say which link and why.
#[derive(Debug, Clone, Default)]
pub struct PageLinks {
    pub path: String,
    /// Hashes of the page's ids, sorted.
    ids: Vec<u64>,
    /// (file, fragment) hashes of its relative links, sorted, each once; 0 for no fragment.
    targets: Vec<(u64, u64)>,
    /// A link is broken on its own.
    bad: bool,
}

/// A string's hash for the link check (SipHash with fixed keys: the same in every run).
fn hash_of(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Where a link of `page` leads.
enum Link<'a> {
    /// Outside the site (http, mailto, tel): not checked.
    Away,
    /// Broken whatever the other pages hold, and why.
    Bad(&'static str),
    /// A file of the site and the fragment, if any.
    To(String, Option<&'a str>),
}

fn link_of<'a>(page: &str, href: &'a str) -> Link<'a> {
    if href.is_empty() {
        return Link::Bad("is empty");
    }
    let scheme = |p: &str| {
        href.as_bytes()
            .get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    };
    if ["http:", "https:", "mailto:", "tel:"]
        .into_iter()
        .any(scheme)
    {
        return Link::Away;
    }
    if href.starts_with('/') || scheme("javascript:") || scheme("file:") {
        return Link::Bad("is not relative");
    }
    let (file, frag) = match href.split_once('#') {
        Some((f, fr)) => (f, Some(fr).filter(|fr| !fr.is_empty())),
        None => (href, None),
    };
    let target = if file.is_empty() {
        Some(page.to_string())
    } else {
        join_relative(page, file)
    };
    match target {
        Some(t) => Link::To(t, frag),
        None => Link::Bad("leaves the site"),
    }
}

/// The `href` and `src` values of a page, `&amp;` decoded.
fn hrefs_of(html: &str) -> Vec<String> {
    let html = html.as_bytes();
    let mut links: Vec<String> = attr_values(html, &Finder::new(b" href=\""))
        .chain(attr_values(html, &Finder::new(b" src=\"")))
        .map(|v| decode_amp(&String::from_utf8_lossy(v)).into_owned())
        .collect();
    links.shrink_to_fit();
    links
}

/// A value with `&amp;` decoded.
fn decode_amp(v: &str) -> std::borrow::Cow<'_, str> {
    if v.contains("&amp;") {
        v.replace("&amp;", "&").into()
    } else {
        v.into()
    }
}

impl PageLinks {
    /// The links of `f` when it is an HTML page.
    pub fn of(f: &OutputFile) -> Option<PageLinks> {
        if !f.path.ends_with(".html") {
            return None;
        }
        let html = &f.bytes[..];
        // Every page repeats the links of its navigation: each distinct value is read once.
        let mut ids: Vec<u64> = attr_values(html, &Finder::new(b" id=\""))
            .map(|v| hash_of(&String::from_utf8_lossy(v)))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut hrefs: Vec<&[u8]> = attr_values(html, &Finder::new(b" href=\""))
            .chain(attr_values(html, &Finder::new(b" src=\"")))
            .collect();
        hrefs.sort_unstable();
        hrefs.dedup();
        let mut targets = Vec::with_capacity(hrefs.len());
        let mut bad = false;
        for href in hrefs {
            let href = String::from_utf8_lossy(href);
            match link_of(&f.path, &decode_amp(&href)) {
                Link::Away => {}
                Link::Bad(_) => bad = true,
                Link::To(t, frag) => targets.push((hash_of(&t), frag.map_or(0, hash_of))),
            }
        }
        targets.sort_unstable();
        targets.dedup();
        Some(PageLinks {
            path: f.path.clone(),
            ids,
            targets,
            bad,
        })
    }
}

/// Check every relative `href` and `src` in the HTML pages of `files`: the target file must be
/// among them, and a `#fragment` must be an `id` on that page.
pub fn check_links(files: &[OutputFile]) -> Vec<BrokenLink> {
    let pages: Vec<PageLinks> = files.iter().filter_map(PageLinks::of).collect();
    let by_path: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    check_page_links(&pages, files.iter().map(|f| f.path.as_str()), &|p: &str| {
        by_path.get(p).map(|f| (*f).clone())
    })
}

/// [`check_links`] on the links of the pages, given the paths of all files of the site;
/// `page` gives a page again (read or rendered) when one of its links is broken, to say which.
pub fn check_page_links<'a>(
    pages: &[PageLinks],
    paths: impl IntoIterator<Item = &'a str>,
    page: &dyn Fn(&str) -> Option<OutputFile>,
) -> Vec<BrokenLink> {
    let ids: HashMap<u64, &[u64]> = pages
        .iter()
        .map(|p| (hash_of(&p.path), p.ids.as_slice()))
        .collect();
    let all: HashSet<u64> = paths.into_iter().map(hash_of).collect();
    let fine = |(file, frag): (u64, u64)| {
        all.contains(&file)
            && (frag == 0
                || ids
                    .get(&file)
                    .is_some_and(|i| i.binary_search(&frag).is_ok()))
    };
    let mut broken = Vec::new();
    for p in pages {
        if !p.bad && p.targets.iter().all(|t| fine(*t)) {
            continue;
        }
        let Some(f) = page(&p.path) else {
            broken.push(BrokenLink {
                page: p.path.clone(),
                href: String::new(),
                reason: "could not be read again to name it".into(),
            });
            continue;
        };
        let html = String::from_utf8_lossy(&f.bytes);
        for href in hrefs_of(&html) {
            let reason = match link_of(&p.path, &href) {
                Link::Away => continue,
                Link::Bad(why) => why.to_string(),
                Link::To(target, frag) => {
                    let file = hash_of(&target);
                    if !all.contains(&file) {
                        format!("({target}) does not exist")
                    } else if let Some(fr) = frag.filter(|fr| !fine((file, hash_of(fr)))) {
                        format!("has no anchor #{fr} in {target}")
                    } else {
                        continue;
                    }
                }
            };
            broken.push(BrokenLink {
                page: p.path.clone(),
                href,
                reason,
            });
        }
    }
    broken
}

/// Resolve `rel` against the folder of `page` (both with `/`); `None` if it climbs out.
fn join_relative(page: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Values of `attr="…"` in an HTML text (our own output, so attributes are double-quoted),
/// where `needle` finds ` attr="`.
fn attr_values<'h, 'f>(
    html: &'h [u8],
    needle: &'f Finder<'_>,
) -> impl Iterator<Item = &'h [u8]> + use<'h, 'f> {
    let mut rest = html;
    std::iter::from_fn(move || {
        let start = needle.find(rest)? + needle.needle().len();
        let end = start + memchr::memchr(b'"', &rest[start..])?;
        let value = &rest[start..end];
        rest = &rest[end..];
        Some(value)
    })
}

/// Path from the site root of the JSON of an organisation (`data/<org>.json`) or of one of
/// its departments (`data/<org>/<dept>.json`).
pub fn data_path(org: &str, dept: Option<&str>) -> String {
    match dept {
        Some(d) => format!("data/{org}/{d}.json"),
        None => format!("data/{org}.json"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, html: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: html.as_bytes().to_vec(),
        }
    }

    #[test]
    fn link_check_finds_missing_pages_and_anchors() {
        let files = vec![
            file(
                "index.html",
                r##"<a href="a/index.html">a</a><a href="a/index.html#x">x</a><a href="b.html">b</a><a href="/abs">c</a>"##,
            ),
            file(
                "a/index.html",
                r##"<p id="x"></p><a href="../index.html">up</a><a href="../../out.html">out</a><a href="#nope">n</a>"##,
            ),
        ];
        let broken: Vec<String> = check_links(&files).iter().map(|b| b.href.clone()).collect();
        assert_eq!(broken, vec!["b.html", "/abs", "../../out.html", "#nope"]);
    }

    #[test]
    fn output_dir_may_not_hold_the_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        for bad in [
            root.to_path_buf(),
            root.join("content"),
            root.join("content/x"),
            root.parent().unwrap().to_path_buf(),
            PathBuf::from("/"),
            root.join("public/../content"),
        ] {
            assert!(check_output_dir(root, &bad).is_err(), "{}", bad.display());
        }
    }

    #[test]
    fn writes_replace_only_our_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "one")]).unwrap();
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        let foreign = dir.path().join("mine");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "x").unwrap();
        assert!(write_site(&foreign, &[file("index.html", "x")]).is_err());
        assert!(foreign.join("keep.txt").exists());
        assert!(write_site(&out, &[file("../escape.html", "x")]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
    }

    #[test]
    fn files_of_many_folders_written_from_many_threads_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::create(&out).unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let staging = &staging;
                s.spawn(move || {
                    for i in 0..300 {
                        let folder = ["", "pages/", "search/t/", "a/b/c/"][(t + i) % 4];
                        let path = format!("{folder}{t}-{i}.html");
                        staging.write(file(&path, &path)).unwrap();
                    }
                });
            }
        });
        staging.commit().unwrap();
        let mut n = 0;
        for e in walkdir::WalkDir::new(&out) {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "html") {
                let rel = e.path().strip_prefix(&out).unwrap().to_string_lossy();
                assert_eq!(std::fs::read_to_string(e.path()).unwrap(), rel);
                n += 1;
            }
        }
        assert_eq!(n, 1200);
    }

    #[test]
    fn a_file_that_cannot_be_written_fails_the_commit_and_keeps_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "old")]).unwrap();
        let staging = Staging::create(&out).unwrap();
        staging.write(file("a", "a file")).unwrap();
        // A folder where a file is already: cannot be made.
        staging.write(file("a/b.html", "x")).unwrap();
        staging.write(file("index.html", "new")).unwrap();
        let e = staging.commit().unwrap_err();
        assert!(e.to_string().contains("cannot"), "{e}");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".zhize-lock"))
            .collect();
        assert_eq!(left, ["public"], "the staging folder is removed");
    }

    #[test]
    fn a_build_waits_for_no_one_and_touches_no_staging_folder_of_another() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "old")]).unwrap();
        // Another build holds the lock and is filling its staging folder.
        let other = dir.path().join(".public.zhize-tmp-99999999");
        std::fs::create_dir_all(other.join("a")).unwrap();
        let held = lock_beside(dir.path(), "public", false).unwrap().unwrap();
        let e = Staging::create(&out).err().expect("refused while locked");
        assert!(e.message.contains("another build is writing"), "{e}");
        assert!(other.join("a").is_dir(), "the other build's folder stays");
        // Once the other build has gone (killed: its folder is left), the next build
        // removes the leftover.
        drop(held);
        let staging = Staging::create(&out).unwrap();
        assert!(!other.exists(), "a killed build's folder is removed");
        staging.write(file("index.html", "new")).unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
    }

    #[test]
    fn a_dangling_output_link_and_a_vanished_folder_get_their_own_hints() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::os::unix::fs::symlink(dir.path().join("gone"), &out).unwrap();
        let e = Staging::create(&out).err().expect("refused");
        assert!(e.message.contains("symbolic link to"), "{e}");
        assert!(!e.hint.unwrap_or_default().contains("disk space"));
        let gone = io_error(&out, "cannot write", std::io::ErrorKind::NotFound.into());
        assert!(gone.hint.unwrap().contains("another program"));
    }

    #[test]
    fn outputs_inside_folders_zhize_reads_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for inside in [
            "static/site",
            "themes/default/static/out",
            "templates/x",
            "content/p",
        ] {
            let e = check_output_dir(root, &root.join(inside)).expect_err(inside);
            assert!(e.message.contains("which zhize reads"), "{inside}: {e}");
        }
        check_output_dir(root, &root.join("public")).unwrap();
    }
}
