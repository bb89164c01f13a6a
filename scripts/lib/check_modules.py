"""Module-level rules of the workspace, read from the source as text.

1. No import loops: within every crate, the graph of files (an edge wherever
   one file names a module or item of another, through `crate::`, `super::`,
   `self::` or a child module) has no cycle.
2. Business contexts (`app`, `persistence`, `api-types`): the kernel (and persistence's
   infrastructure) names no context; a context names another context only
   through what that context's `mod.rs` exports; contexts depend on each other
   without a cycle.

Usage: check_modules.py WORKSPACE_ROOT
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")

# Crates laid out by business context, and their folders every context may use.
CONTEXT_CRATES = {
    "crates/app/src": {"kernel"},
    "crates/persistence/src": {"kernel", "infra", "schema"},
    "crates/api-types/src": {"kernel"},
}

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
USE_RE = re.compile(r"\buse\s+([^;]*);", re.S)
PATH_RE = re.compile(rf"(?<![\w:])((?:crate|super|self)(?:::{IDENT})+)")
MOD_RE = re.compile(rf"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+({IDENT})\s*;", re.M)
PUB_MOD_RE = re.compile(rf"^pub\s+mod\s+({IDENT})\s*;", re.M)
PUB_USE_RE = re.compile(r"^pub\s+use\s+([^;]*);", re.M | re.S)
COMMENT_RE = re.compile(r"//[^\n]*")


def strip_tests(text):
    """Drops `#[cfg(test)] mod x { ... }` blocks: a test module may use its
    parent freely, and it is compiled only under test."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def tokenize(s):
    return re.findall(r"::|[{},*]|\bas\b|" + IDENT + r"|\S", s)


def flatten_use(tree):
    """Every full path a use tree names (aliases and globs dropped)."""
    toks, paths = tokenize(tree), []

    def walk(i, prefix):
        segs = []
        while i < len(toks):
            t = toks[i]
            if t == "{":
                i += 1
                while toks[i] != "}":
                    i = walk(i, prefix + segs)
                    if toks[i] == ",":
                        i += 1
                return i + 1
            if t == "*":
                paths.append(prefix + segs)
                return i + 1
            segs.append(t)
            i += 1
            if i < len(toks) and toks[i] == "::":
                i += 1
                continue
            if i < len(toks) and toks[i] == "as":
                i += 2
            paths.append([s for s in prefix + segs if s != "self"] or prefix)
            return i
        return i

    walk(0, [])
    return paths


class Crate:
    def __init__(self, src):
        self.src = src
        self.files = {}  # module path (tuple) -> file
        for f in sorted(src.rglob("*.rs")):
            rel = f.relative_to(src)
            parts = list(rel.with_suffix("").parts)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            if "bin" in parts or "tests" in parts:
                continue
            self.files[tuple(parts)] = f
        self.text = {
            m: strip_tests(COMMENT_RE.sub("", f.read_text())) for m, f in self.files.items()
        }
        # What each module re-exports: name -> the path it stands for.
        self.reexports = {}
        for module, text in self.text.items():
            names = {}
            for m in re.finditer(r"^pub(?:\([^)]*\))?\s+use\s+([^;]*);", text, re.M | re.S):
                for segs in flatten_use(m.group(1)):
                    names[segs[-1]] = segs
            self.reexports[module] = names

    def resolve(self, module, segs, depth=0):
        """The file module a path from `module` lands in (its longest
        existing prefix), or None outside the crate."""
        if not segs:
            return None
        if segs[0] == "crate":
            base, rest = (), segs[1:]
        elif segs[0] in ("super", "self"):
            base, rest = tuple(module), segs
            while rest and rest[0] in ("super", "self"):
                if rest[0] == "super":
                    base = base[:-1]
                rest = rest[1:]
        elif tuple(module) + (segs[0],) in self.files:
            base, rest = tuple(module), segs
        else:
            return None
        path = base + tuple(rest)
        while path and path not in self.files:
            path = path[:-1]
        item = (base + tuple(rest))[len(path) : len(path) + 1]
        # A name a module re-exports leads to where it is defined; one
        # re-exported from another crate leads out of this one.
        if item and item[0] in self.reexports.get(path, {}) and depth < 8:
            return self.resolve(path, self.reexports[path][item[0]], depth + 1)
        return path

    def references(self, module):
        """(target module, full path) for every path in `module`'s file."""
        text = self.text[module]
        refs = []
        for m in USE_RE.finditer(text):
            for segs in flatten_use(m.group(1)):
                refs.append(segs)
        rest = USE_RE.sub("", text)
        for m in PATH_RE.finditer(rest):
            refs.append(m.group(1).split("::"))
        # Child modules named without a prefix (`attempts::conclude`).
        children = set(MOD_RE.findall(text))
        for m in re.finditer(rf"(?<![\w:])({IDENT})::", rest):
            if m.group(1) in children:
                refs.append([m.group(1)])
        out = []
        for segs in refs:
            target = self.resolve(module, segs)
            if target is not None and target != module:
                out.append((target, segs))
        return out


def cycles(graph):
    """Strongly connected components with more than one member (Tarjan)."""
    index, low, stack, on, result, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return result


def exported(crate, context):
    """What a context's mod.rs exports: its `pub mod`s and `pub use` names."""
    text = crate.text.get((context,), "")
    names = set(PUB_MOD_RE.findall(text))
    for m in PUB_USE_RE.finditer(text):
        for segs in flatten_use(m.group(1)):
            names.add(segs[-1])
    return names


def name(module):
    return "::".join(module) or "(root)"


def main():
    failures = []
    crate_dirs = sorted(
        p.parent for p in ROOT.glob("*/*/src/lib.rs")
    ) + sorted(p.parent for p in ROOT.glob("*/*/src/main.rs") if not (p.parent / "lib.rs").exists())
    for src in crate_dirs:
        crate = Crate(src)
        graph = {m: set() for m in crate.files}
        for module in crate.files:
            for target, _ in crate.references(module):
                # A module's own children and ancestors by declaration are not
                # imports; naming them is.
                graph[module].add(target)
        rel = src.relative_to(ROOT)
        for component in cycles(graph):
            failures.append(
                f"{rel}: import loop between {', '.join(name(m) for m in component)}"
            )
        shared = CONTEXT_CRATES.get(str(rel))
        if shared is None:
            continue
        contexts = {m[0] for m in crate.files if len(m) > 1 and m[0] not in shared}
        context_graph = {c: set() for c in contexts}
        for module in crate.files:
            own = module[0] if module else None
            for target, segs in crate.references(module):
                theirs = target[0] if target else None
                if theirs not in contexts or theirs == own:
                    continue
                if own in shared or own is None:
                    failures.append(
                        f"{rel}/{name(module)} is shared and must name no context, "
                        f"but names {'::'.join(segs)}"
                    )
                    continue
                if own not in contexts:
                    continue
                context_graph[own].add(theirs)
                surface = exported(crate, theirs)
                reached = target[1] if len(target) > 1 else None
                if reached is not None and reached not in surface:
                    failures.append(
                        f"{rel}/{name(module)} reaches into {theirs}::{reached}, "
                        f"which {theirs}/mod.rs does not export"
                    )
        for component in cycles(context_graph):
            failures.append(f"{rel}: contexts depend on each other: {', '.join(component)}")
    for failure in failures:
        print("module rule:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
