#!/usr/bin/env python3
"""Fails when an #include crosses to a module its CMake target does not declare.

The module graph is declared once, in CMake: each `src/<module>/CMakeLists.txt` names its
project dependencies (`DEPS sl::x ...` of sl_add_module, or `target_link_libraries` for the
`cli` executable); test sources may also use `TEST_DEPS`. This check reads those declarations
and every `#include "<module>/..."` under src/, and reports each include of a
module that is neither the file's own nor a direct declared dependency (a transitive one does
not count: a module names what it uses). Run by `make test`; `--root DIR` checks another tree.
"""
import argparse
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)
TARGET = re.compile(r"\bsl(?:::|_)([a-z_]+)\b")


def cmake_block(text, keyword, stops):
    """The words after `keyword` up to the next keyword of `stops` or the closing parenthesis."""
    match = re.search(r"\b" + keyword + r"\b(.*?)(?=\b(?:" + "|".join(stops) + r")\b|\))", text, re.S)
    return match.group(1) if match else ""


def declared(root):
    """module → (deps of its library, extra deps of its tests)."""
    keywords = ["SRCS", "DEPS", "PRIVATE_DEPS", "UNIT_TESTS", "INTEGRATION_TESTS", "TEST_DEPS"]
    graph = {}
    for cmake in sorted((root / "src").glob("*/CMakeLists.txt")):
        module = cmake.parent.name
        text = re.sub(r"#.*", "", cmake.read_text())
        if "sl_add_module" in text:
            deps = set(TARGET.findall(cmake_block(text, "DEPS", [k for k in keywords if k != "DEPS"])))
            tests = set(TARGET.findall(cmake_block(text, "TEST_DEPS", keywords[:-1])))
        else:  # an executable (cli): what it links
            deps = set()
            for block in re.findall(r"target_link_libraries\((.*?)\)", text, re.S):
                deps |= set(TARGET.findall(block))
            tests = set()
        graph[module] = (deps - {module}, tests - {module})
    return graph


def check(root):
    graph = declared(root)
    problems = []
    for path in sorted((root / "src").rglob("*")):
        if path.suffix not in (".cpp", ".hpp", ".h", ".cc"):
            continue
        module = path.relative_to(root / "src").parts[0]
        if module not in graph:
            continue
        deps, test_deps = graph[module]
        in_tests = "tests" in path.relative_to(root / "src").parts[1:] or "testing" in path.parts
        allowed = {module} | deps | (test_deps if in_tests else set())
        if "pg_testing" in allowed:  # pg's test fixture library (src/pg/testing)
            allowed.add("pg")
        for line_no, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            if target in graph and target not in allowed:
                problems.append(f"{path.relative_to(root)}:{line_no}: {module} includes {target}/ "
                                f"but src/{module}/CMakeLists.txt does not declare sl::{target}")
    return graph, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent)
    parser.add_argument("--print-graph", action="store_true", help="print the declared graph")
    args = parser.parse_args()
    graph, problems = check(args.root)
    if args.print_graph:
        for module, (deps, tests) in sorted(graph.items()):
            extra = f" (tests also: {', '.join(sorted(tests - deps))})" if tests - deps else ""
            print(f"{module}: {', '.join(sorted(deps)) or '-'}{extra}")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"module graph: {len(problems)} include(s) cross an undeclared edge", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
