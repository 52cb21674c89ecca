/*
 * loadTensorFlowOps(libtensorflow, library): registers the kernels of an op library (native/tf-ops, built by setup)
 * with the TensorFlow that tfjs-node loaded, through its C API's TF_LoadLibrary. tfjs-node has no such call, and the
 * exported graphs that use the ops cannot load before they are registered. `libtensorflow` is the path tfjs-node
 * loaded it from (already in the process: RTLD_NOLOAD finds it without loading a second copy).
 */
#include <dlfcn.h>
#include <node_api.h>
#include <stdio.h>

typedef struct TF_Status TF_Status;
typedef struct TF_Library TF_Library;

static napi_value load_tensorflow_ops(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  char tensorflow_path[4096], library_path[4096];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 2 ||
      napi_get_value_string_utf8(env, args[0], tensorflow_path, sizeof tensorflow_path, NULL) != napi_ok ||
      napi_get_value_string_utf8(env, args[1], library_path, sizeof library_path, NULL) != napi_ok) {
    napi_throw_type_error(env, NULL, "loadTensorFlowOps expects the paths of libtensorflow and of the op library");
    return NULL;
  }
  void* tensorflow = dlopen(tensorflow_path, RTLD_LAZY | RTLD_NOLOAD);
  if (tensorflow == NULL) {
    char message[4300];
    snprintf(message, sizeof message, "%s is not loaded in this process: load the tensor backend first", tensorflow_path);
    napi_throw_error(env, NULL, message);
    return NULL;
  }
  TF_Status* (*new_status)(void) = (TF_Status * (*)(void)) dlsym(tensorflow, "TF_NewStatus");
  void (*delete_status)(TF_Status*) = (void (*)(TF_Status*))dlsym(tensorflow, "TF_DeleteStatus");
  int (*get_code)(const TF_Status*) = (int (*)(const TF_Status*))dlsym(tensorflow, "TF_GetCode");
  const char* (*get_message)(const TF_Status*) = (const char* (*)(const TF_Status*))dlsym(tensorflow, "TF_Message");
  TF_Library* (*load_library)(const char*, TF_Status*) =
      (TF_Library * (*)(const char*, TF_Status*)) dlsym(tensorflow, "TF_LoadLibrary");
  if (!new_status || !delete_status || !get_code || !get_message || !load_library) {
    napi_throw_error(env, NULL, "this libtensorflow lacks TF_LoadLibrary or the TF_Status functions");
    return NULL;
  }
  TF_Status* status = new_status();
  load_library(library_path, status);
  if (get_code(status) != 0) {
    char message[4400];
    snprintf(message, sizeof message, "TensorFlow could not load %s: %s", library_path, get_message(status));
    delete_status(status);
    napi_throw_error(env, NULL, message);
    return NULL;
  }
  delete_status(status);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "loadTensorFlowOps", NAPI_AUTO_LENGTH, load_tensorflow_ops, NULL, &fn);
  napi_set_named_property(env, exports, "loadTensorFlowOps", fn);
  return exports;
}
