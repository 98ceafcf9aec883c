#!/usr/bin/env bash
# The GitHub Action's lint step (action.yml at the repository's root runs
# it): checks the SOPs named by the action's `files` input, or every
# *.sop.yaml in the repository, and prints the findings as annotations on
# the pull request. Inputs arrive in environment variables, never pasted
# into the script, so that no input can run as shell code.
#
#   RELSOP_FILES    the SOP files, space-separated shell patterns ("" = all)
#   RELSOP_PROFILE  lint profile, default or regulated ("" = the config's)
#   RELSOP_STRICT   "true" to fail on warnings too
#   RELSOP_SARIF    also write a SARIF log to this path, for upload-sarif
#   RELSOP          the relsop command (default: relsop on the PATH)
set -uo pipefail
relsop=${RELSOP:-relsop}

files=()
if [ -n "${RELSOP_FILES:-}" ]; then
  shopt -s nullglob globstar
  read -ra patterns <<< "$RELSOP_FILES"
  for p in "${patterns[@]}"; do
    matched=($p)
    # A pattern without wildcards stays itself even when no file has its name.
    if [ ${#matched[@]} -eq 0 ] || [ ! -e "${matched[0]}" ]; then
      echo "::error title=relsop::no file matches \"$p\" (the action's files input)"
      exit 2
    fi
    files+=("${matched[@]}")
  done
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  while IFS= read -r f; do files+=("$f"); done < <(git ls-files -- '*.sop.yaml' '*.sop.yml')
else
  while IFS= read -r f; do files+=("$f"); done < <(find . -name '*.sop.yaml' -o -name '*.sop.yml' | sed 's|^\./||' | sort)
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "::warning title=relsop::no *.sop.yaml files to check; name them in the action's files input"
  exit 0
fi

args=()
case "${RELSOP_PROFILE:-}" in
  "") ;;
  default|regulated) args+=(--profile "$RELSOP_PROFILE") ;;
  *) echo "::error title=relsop::the profile input must be default or regulated, not \"$RELSOP_PROFILE\""; exit 2 ;;
esac
case "${RELSOP_STRICT:-false}" in
  true) args+=(--strict) ;;
  false|"") ;;
  *) echo "::error title=relsop::the strict input must be true or false, not \"$RELSOP_STRICT\""; exit 2 ;;
esac

# The SARIF log first: the annotations' exit status is the step's.
if [ -n "${RELSOP_SARIF:-}" ]; then
  "$relsop" lint --format sarif "${args[@]}" -- "${files[@]}" > "$RELSOP_SARIF"
  [ $? -le 1 ] || echo "::warning title=relsop::some files could not be loaded; see the annotations"
fi
"$relsop" lint --format github "${args[@]}" -- "${files[@]}"
