/*
 * withStderrSilenced(fn): calls fn with file descriptor 2 pointed at /dev/null, then restores it.
 * TensorFlow prints its oneDNN notice and CPU-feature lines through absl before logging is initialised,
 * where no environment variable reaches them; Node cannot redirect a file descriptor by itself.
 *
 * watchStopSignals() / stopSignal(): SIGINT and SIGTERM only set a flag that stopSignal() reads (0 when none
 * came). Node runs a JavaScript signal listener only between event-loop turns, and a training loop is one
 * synchronous call, so a listener would leave Ctrl-C unanswered until the run ended; the loop polls this flag
 * instead (src/util/stop-signals.ts). The same signal a second time acts as it did before (Node's exit).
 */
#include <fcntl.h>
#include <node_api.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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

static volatile sig_atomic_t stop_signal = 0;
static struct sigaction previous_int, previous_term;

static void on_stop_signal(int sig) {
  if (stop_signal == sig) {
    /* The same signal again: back to the previous action, and deliver it. */
    sigaction(sig, sig == SIGINT ? &previous_int : &previous_term, NULL);
    raise(sig);
    return;
  }
  if (stop_signal == 0) stop_signal = sig;
}

static napi_value watch_stop_signals(napi_env env, napi_callback_info info) {
  (void)info;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
  return NULL;
}

static napi_value read_stop_signal(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_int32(env, stop_signal, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "withStderrSilenced", NAPI_AUTO_LENGTH, with_stderr_silenced, NULL, &fn);
  napi_set_named_property(env, exports, "withStderrSilenced", fn);
  napi_create_function(env, "watchStopSignals", NAPI_AUTO_LENGTH, watch_stop_signals, NULL, &fn);
  napi_set_named_property(env, exports, "watchStopSignals", fn);
  napi_create_function(env, "stopSignal", NAPI_AUTO_LENGTH, read_stop_signal, NULL, &fn);
  napi_set_named_property(env, exports, "stopSignal", fn);
  return exports;
}
