# Step: the tools every later step needs.
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die tools "Node $(node --version) is too old" "install Node.js >= 20.19 (needs require() of ES modules)"

[ -n "$PYTHON" ] || die tools "python3 not found" "apt-get install -y python3 python3-venv (or set PYTHON=/path/to/python3)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
  || die tools "$PYTHON is $("$PYTHON" --version 2>&1), need >= 3.10" "set PYTHON to a Python 3.10+ interpreter"
for tool in g++ make cmake strip unzip; do
  command -v "$tool" >/dev/null || die tools "'$tool' not found" "apt-get install -y build-essential cmake binutils unzip"
done
ok tools "node $(node --version), $("$PYTHON" --version 2>&1), $(g++ --version | head -1)"
