"""Every name a user sees, in one place: commands, formats, collectors, bundlers, exit codes.

This module imports nothing, so the CLI (which must start fast), the registries, the error
tree and the docs tests all read the same table; a copy kept elsewhere would drift.
"""

__all__ = [
    "BUNDLERS",
    "COLLECTORS",
    "COMMANDS",
    "DEPLOYERS",
    "DIFF_FORMATS",
    "EXIT_CODES",
    "EXIT_GENERAL",
    "EXIT_HANGUP",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_IO",
    "EXIT_KUBERNETES",
    "EXIT_OK",
    "EXIT_RECIPE",
    "EXIT_TERMINATED",
    "EXIT_VALIDATION",
    "FAIL_ON",
    "GITOPS_DEPLOYERS",
    "OUTPUT_FORMATS",
    "READABLE_FORMATS",
    "SUMMARY_FORMATS",
    "VALIDATE_FORMATS",
    "exit_codes_line",
]

#: The commands of ``eidos``, in help order: name (module under eidos.cli) -> one-line help.
COMMANDS: dict[str, str] = {
    "snapshot": "capture this node's OS, systemd, GPU and Kubernetes state",
    "recipe": "build a configuration recipe from criteria or a snapshot",
    "query": "print one value of a recipe, selected by a dot path",
    "bundle": "render one deployable bundle of every component of a recipe",
    "validate": "check snapshots against a recipe's constraints (one node or a fleet)",
    "diff": "compare two snapshots or recipes, or find the odd nodes out of a fleet",
    "serve": "run the HTTP API server (same as eidos-api-server)",
    "completion": "print a shell completion script",
}

#: Document formats of ``-t/--format`` for snapshots and recipes (the first is the default).
OUTPUT_FORMATS = ("yaml", "json", "table")
#: Formats of the ``eidos bundle`` summary on stdout (the first is the default).
SUMMARY_FORMATS = ("table", "json", "yaml")
#: Formats of the ``eidos validate`` report (the first is the default).
VALIDATE_FORMATS = ("table", "json", "yaml", "junit", "ctrf")
#: Formats of the ``eidos diff`` output (the first is the default).
DIFF_FORMATS = ("table", "json", "yaml")
#: ``eidos validate --fail-on``: the least severe outcome that fails the run (first: default).
FAIL_ON = ("error", "warning", "skip")
#: Formats eidos can read back (a table is for people, not for parsing).
READABLE_FORMATS = ("yaml", "json")

#: Snapshot collectors, in the order their measurements appear (SystemD, OS, K8s, GPU).
COLLECTORS = ("systemd", "os", "k8s", "gpu")
#: Components with a profile of their own (values derived from measurements); every other
#: component is rendered from the recipe data alone.
BUNDLERS = ("gpu-operator", "network-operator")
#: How a bundle installs its components (``eidos bundle --deployer``; the first is the default).
DEPLOYERS = ("helm", "argocd", "flux", "helmfile")
#: Deployers that read the bundle from a Git repository (``eidos bundle --repo``).
GITOPS_DEPLOYERS = ("argocd", "flux")

EXIT_OK = 0
EXIT_GENERAL = 1
EXIT_INVALID = 2
EXIT_IO = 3
EXIT_KUBERNETES = 4
EXIT_RECIPE = 5
EXIT_VALIDATION = 6
EXIT_HANGUP = 129
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

#: Exit code -> (short meaning for ``eidos --help``, the meaning docs/cli.md's table gives).
EXIT_CODES: dict[int, tuple[str, str]] = {
    EXIT_OK: ("ok", "success (warnings may have been printed)"),
    EXIT_GENERAL: (
        "general error",
        "general error (a collector or bundler failed, internal error); for `eidos diff`: the "
        "documents differ",
    ),
    EXIT_INVALID: (
        "invalid arguments or documents",
        "invalid arguments or input documents (unknown enum, bad version, malformed, too deeply "
        "nested or duplicate-key document, bad URI or URL, a query selector that names nothing)",
    ),
    EXIT_IO: (
        "file I/O",
        "file I/O (missing or unreadable file, unreachable URL, bad or incomplete download, "
        "closed standard stream, unwritable output, a bundle output directory eidos did not "
        "write or that another eidos is writing under `--no-wait`)",
    ),
    EXIT_KUBERNETES: ("Kubernetes connection", "Kubernetes connection or permission problem"),
    EXIT_RECIPE: (
        "recipe generation",
        "recipe generation (`--strict` with no matching overlay, invalid recipe data, a "
        "dependency cycle or missing dependency)",
    ),
    EXIT_VALIDATION: (
        "validation failed",
        "validation failed: a snapshot does not satisfy an error-severity constraint of the "
        "recipe (with `--fail-on warning`, also a warning one)",
    ),
    EXIT_HANGUP: ("hung up", "terminated by SIGHUP (`--deploy-agent` cleans up first)"),
    EXIT_INTERRUPTED: ("interrupted", "interrupted (Ctrl-C)"),
    EXIT_TERMINATED: ("terminated", "terminated by SIGTERM (`--deploy-agent` cleans up first)"),
}


def exit_codes_line() -> str:
    """``0 ok, 1 general error, ...`` as ``eidos --help`` and the README say it."""
    return ", ".join(f"{code} {short}" for code, (short, _) in EXIT_CODES.items())
