"""Bash shared by the generated scripts: options, dry run, retries, selection, checksums."""

from __future__ import annotations

__all__ = ["PRELUDE", "function_name", "options"]


def function_name(component: str) -> str:
    """The bash function suffix of a component (``cert-manager`` -> ``cert_manager``)."""
    return component.replace("-", "_")


_USAGE_DEPLOY = """\
Usage: deploy.sh [--dry-run] [--only NAME[,NAME]] [--skip NAME[,NAME]] [--no-wait]
                 [--retries N] [--retry-delay SECONDS] [--timeout DURATION] [-h|--help]

Install or upgrade the components of this bundle, in deployment order.

  --dry-run              print every command instead of running it (needs no cluster,
                         no helm and no kubectl)
  --only NAME[,NAME]     only these components (repeatable)
  --skip NAME[,NAME]     leave these components out (repeatable), e.g. one the cluster
                         already runs
  --no-wait              do not wait for workloads, CRDs and webhooks
  --retries N            retry each failed command N times (default 2)
  --retry-delay SECONDS  pause between tries (default 10)
  --timeout DURATION     limit of each wait, e.g. 10m or 90s (default 10m)
  -h, --help             show this help"""

_USAGE_UNDEPLOY = """\
Usage: undeploy.sh [--dry-run] [--only NAME[,NAME]] [--skip NAME[,NAME]] [--delete-crds]
                   [--keep-namespaces] [--no-wait] [--retries N] [--retry-delay SECONDS]
                   [--timeout DURATION] [-h|--help]

Uninstall the components of this bundle, in reverse deployment order.

  --dry-run              print every command instead of running it
  --only NAME[,NAME]     only these components (repeatable)
  --skip NAME[,NAME]     leave these components installed (repeatable)
  --delete-crds          also delete the components' CustomResourceDefinitions (and with
                         them every custom resource of those kinds)
  --keep-namespaces      keep the components' namespaces
  --no-wait              do not wait for the uninstalls to finish
  --retries N            retry each failed command N times (default 2)
  --retry-delay SECONDS  pause between tries (default 10)
  --timeout DURATION     limit of each wait (default 10m)
  -h, --help             show this help"""


def options(verb: str, *, deploy: bool) -> list[str]:
    """Defaults, ``usage`` and the option parser of ``deploy.sh`` or ``undeploy.sh``."""
    usage = _USAGE_DEPLOY if deploy else _USAGE_UNDEPLOY
    extra = ['READY=""'] if deploy else ["DELETE_CRDS=0", "KEEP_NAMESPACES=0"]
    cases = (
        []
        if deploy
        else [
            "    --delete-crds) DELETE_CRDS=1 ;;",
            "    --keep-namespaces) KEEP_NAMESPACES=1 ;;",
        ]
    )
    return [
        "DRY_RUN=0",
        "WAIT=1",
        "RETRIES=2",
        "RETRY_DELAY=10",
        "TIMEOUT=10m",
        'ONLY=""',
        'SKIP=""',
        *extra,
        "",
        "usage() {",
        "  cat <<'USAGE'",
        usage,
        "USAGE",
        "}",
        "",
        "bad_usage() {",
        '  printf \'%s: %s\\n\' "${0##*/}" "$1" >&2',
        "  usage >&2",
        "  exit 2",
        "}",
        "",
        "# value OPTION VALUE: the option's value, or a usage error when it is missing.",
        "value() {",
        '  if [ "$#" -lt 2 ] || [ -z "$2" ]; then',
        '    bad_usage "$1 needs a value"',
        "  fi",
        "  printf '%s' \"$2\"",
        "}",
        "",
        "# names OPTION LIST: a comma-separated list of components, checked.",
        "names() {",
        '  local name out="" all=" ${COMPONENTS[*]} "',
        "  local IFS=,",
        "  for name in $2; do",
        '    in_list "${all}" "${name}" || bad_usage "$1: unknown component '
        "'${name}' (components:${all% })\"",
        '    out="${out} ${name} "',
        "  done",
        "  printf '%s' \"${out}\"",
        "}",
        "",
        "in_list() {",
        '  case " $1 " in',
        '    *" $2 "*) return 0 ;;',
        "    *) return 1 ;;",
        "  esac",
        "}",
        "",
        'while [ "$#" -gt 0 ]; do',
        '  case "$1" in',
        "    --dry-run) DRY_RUN=1 ;;",
        "    --no-wait) WAIT=0 ;;",
        *cases,
        '    --only) ONLY="${ONLY}$(names "$1" "$(value "$@")")"; shift ;;',
        '    --skip) SKIP="${SKIP}$(names "$1" "$(value "$@")")"; shift ;;',
        '    --retries) RETRIES="$(value "$@")"; shift ;;',
        '    --retry-delay) RETRY_DELAY="$(value "$@")"; shift ;;',
        '    --timeout) TIMEOUT="$(value "$@")"; shift ;;',
        "    -h|--help) usage; exit 0 ;;",
        '    *) bad_usage "unknown option: $1" ;;',
        "  esac",
        "  shift",
        "done",
        '[[ "${RETRIES}" =~ ^[0-9]{1,3}$ ]] ||',
        '  bad_usage "--retries: expected a number, got ${RETRIES}"',
        '[[ "${RETRY_DELAY}" =~ ^[0-9]{1,4}$ ]] ||',
        '  bad_usage "--retry-delay: expected seconds, got ${RETRY_DELAY}"',
        '[[ "${TIMEOUT}" =~ ^([0-9]{1,6}(h|m|s))+$ ]] ||',
        '  bad_usage "--timeout: expected a duration such as 10m or 90s, got ${TIMEOUT}"',
        "",
    ]


PRELUDE = r"""info() { printf '[INFO] %s\n' "$*" >&2; }
warn() { printf '[WARN] %s\n' "$*" >&2; }
die() { printf '[ERROR] %s\n' "$*" >&2; exit 1; }

# run CMD [ARG...]: run a command, or with --dry-run print it (shell-quoted) on stdout.
run() {
  if [ "${DRY_RUN}" -eq 1 ]; then
    local line
    line="$(printf '%q ' "$@")"
    printf '%s\n' "${line% }"
  else
    "$@"
  fi
}

# retry CMD [ARG...]: run, and after a failure try again up to RETRIES times.
retry() {
  local attempt=0
  until run "$@"; do
    attempt=$((attempt + 1))
    if [ "${attempt}" -gt "${RETRIES}" ]; then
      die "failed after ${attempt} attempts: $*"
    fi
    warn "attempt ${attempt} failed; trying again in ${RETRY_DELAY}s: $*"
    sleep "${RETRY_DELAY}"
  done
}

# exists CMD [ARG...]: whether a lookup succeeds; always true in a dry run.
exists() {
  if [ "${DRY_RUN}" -eq 1 ]; then
    return 0
  fi
  "$@" >/dev/null 2>&1
}

selected() {
  if [ -n "${ONLY}" ] && ! in_list "${ONLY}" "$1"; then
    return 1
  fi
  ! in_list "${SKIP}" "$1"
}

# all_selected "A B": whether every one of the components is selected.
all_selected() {
  local name
  for name in $1; do
    selected "${name}" || return 1
  done
}

require() {
  local tool
  for tool in "$@"; do
    command -v "${tool}" >/dev/null 2>&1 || die "${tool} is required but was not found in PATH"
  done
}

check_cluster() {
  if [ "${DRY_RUN}" -eq 1 ]; then
    info "dry run: printing the commands that would run; the cluster is not touched"
    return 0
  fi
  require helm kubectl
  kubectl cluster-info >/dev/null 2>&1 \
    || die "cannot reach the cluster; check 'kubectl config current-context'"
}

verify_checksums() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum --check --quiet --strict checksums.txt >&2 \
      || die "checksums.txt does not match: the bundle was modified"
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 --check --quiet checksums.txt >&2 \
      || die "checksums.txt does not match: the bundle was modified"
  else
    warn "neither sha256sum nor shasum found; skipping checksum verification"
  fi
}
"""
