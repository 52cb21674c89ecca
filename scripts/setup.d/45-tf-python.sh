# Step (--bench only): TensorFlow for Python in .venv, the reference bench/backend compares against,
# installed from the wheel step 40 already cached.
if [ "${WANT_BENCH:-0}" = 1 ]; then
  pip_install tf-python "tensorflow-cpu==$TF_VERSION" --find-links "$CACHE/wheels"
  ok tf-python "TensorFlow $("$VPY" -c 'import os; os.environ["TF_CPP_MIN_LOG_LEVEL"]="3"; import tensorflow as tf; print(tf.__version__)' 2>/dev/null) in .venv (benchmark reference)"
fi
