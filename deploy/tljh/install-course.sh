#!/usr/bin/env bash
# Put the course into The Littlest JupyterHub's user environment (/opt/tljh/user), the one every student's server runs.
#
# Run as root on the TLJH machine, in a clone of the course at the commit you teach from (tag it):
#   sudo bash deploy/tljh/install-course.sh self-study   nnlib as in the repository (with its solutions and checkers)
#   sudo bash deploy/tljh/install-course.sh classroom    the student edition, nbgrader and its exchange, for a graded
#                                                        class: run `make classroom` first (it builds the edition)
# It uses what TLJH documents for this: pip in the user environment (what "sudo -E pip install" does in an admin's
# terminal) and tljh-config for each student's memory limit and the idle culler. Running it again after `git pull`
# installs the new pins. Written for TLJH 1.x; not run in this repository (no systemd there): tests/test_deploy.py
# checks that its numbers are the sizing's (docs/instructor_guide.md, "Sizing the hub, measured").
set -euo pipefail

USER_ENV=${TLJH_USER_ENV:-/opt/tljh/user}
EXCHANGE=/srv/nbgrader/exchange
COURSE_ID=nnlib-course  # classroom/assignments.toml
COURSE=$(cd "$(dirname "$0")/../.." && pwd)

case "${1:-}" in
  self-study) LOCK=requirements.lock; NNLIB=$COURSE ;;
  classroom)  LOCK=classroom/requirements.lock; NNLIB=$COURSE/build/student-edition
              [ -f "$NNLIB/pyproject.toml" ] || { echo "No student edition in $NNLIB: run 'make classroom' in $COURSE" \
                                                       "first, then run this again." >&2; exit 1; } ;;
  *) echo "Usage: sudo bash $0 self-study|classroom   (classroom: the student edition and nbgrader's exchange)" >&2
     exit 2 ;;
esac
[ -x "$USER_ENV/bin/python" ] || { echo "$USER_ENV/bin/python not found: run this on the TLJH machine" \
                                        "(or set TLJH_USER_ENV to its user environment)." >&2; exit 1; }
PIP=("$USER_ENV/bin/python" -m pip install --disable-pip-version-check)

# 1. The course's locked versions, then nnlib without letting pip change them.
"${PIP[@]}" -r "$COURSE/$LOCK"
"${PIP[@]}" --no-deps --force-reinstall "$NNLIB"

# 2. Every kernel with one BLAS thread, as `make lab` installs it: many students' kernels share the cores.
"$USER_ENV/bin/python" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (nnlib course)" \
  --env OPENBLAS_NUM_THREADS 1 --env OMP_NUM_THREADS 1 --env MKL_NUM_THREADS 1

# 3. A kernel left running by a closed notebook tab stops after 30 idle minutes (kernels with an open tab are kept):
#    the memory limit counts one kernel per student.
"$USER_ENV/bin/python" - "$USER_ENV/etc/jupyter/jupyter_server_config.json" <<'EOF'
import json, sys
from pathlib import Path
path = Path(sys.argv[1])
config = json.loads(path.read_text()) if path.exists() else {}
config.setdefault("MappingKernelManager", {}).update(cull_idle_timeout=1800, cull_interval=300)
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(json.dumps(config, indent=1) + "\n")
EOF

# 4. A graded class: nbgrader's exchange, writable by everyone (nbgrader: `chmod ugo+rw`) with the sticky bit so that
#    no student can remove what another made there, and the course id and exchange in /etc/jupyter, which every
#    nbgrader on the machine reads (the students' servers, the instructor's, classroom/grade.py's). nbgrader's
#    extensions stay as nbgrader installs them, on for everyone (docs/instructor_guide.md says why).
if [ "$1" = classroom ]; then
  mkdir -p "$EXCHANGE" /etc/jupyter
  chmod 1777 "$EXCHANGE"
  printf 'c = get_config()\nc.CourseDirectory.course_id = "%s"\nc.Exchange.root = "%s"\n' "$COURSE_ID" "$EXCHANGE" \
    > /etc/jupyter/nbgrader_config.py
fi

# 5. TLJH: each student's memory limit (server and kernels together; deploy/sizing.py from deploy/measured.json), one
#    core each (a notebook's kernel uses one), and the idle culler stopping servers idle for an hour (TLJH's default).
tljh-config set limits.memory 512M
tljh-config set limits.cpu 1
tljh-config set services.cull.timeout 3600
tljh-config reload

echo "Installed the course ($1) into $USER_ENV. Hand out the notebooks with nbgitpuller links (tools/launch_links.py)."
