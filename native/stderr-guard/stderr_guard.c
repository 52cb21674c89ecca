/*
 * withStderrSilenced(fn): calls fn with file descriptor 2 pointed at /dev/null, then restores it.
 * TensorFlow prints its oneDNN notice and CPU-feature lines through absl before logging is initialised,
 * where no environment variable reaches them; Node cannot redirect a file descriptor by itself.
 */
#include <fcntl.h>
#include <node_api.h>
#include <stdio.h>
#include <unistd.h>

static napi_value with_stderr_silenced(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value fn = NULL, global, result = NULL;
  napi_get_cb_info(env, info, &argc, &fn, NULL, NULL);
  napi_valuetype type;
  if (argc < 1 || napi_typeof(env, fn, &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, NULL, "withStderrSilenced expects a function");
    return NULL;
  }
  fflush(stderr);
  int saved = dup(2);
  int devnull = open("/dev/null", O_WRONLY);
  if (saved >= 0 && devnull >= 0) dup2(devnull, 2);
  if (devnull >= 0) close(devnull);
  napi_get_global(env, &global);
  napi_status status = napi_call_function(env, global, fn, 0, NULL, &result);
  fflush(stderr);
  if (saved >= 0) {
    dup2(saved, 2);
    close(saved);
  }
  return status == napi_ok ? result : NULL; /* a pending exception propagates to the caller */
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "withStderrSilenced", NAPI_AUTO_LENGTH, with_stderr_silenced, NULL, &fn);
  napi_set_named_property(env, exports, "withStderrSilenced", fn);
  return exports;
}
