#pragma once
// MetricsHandler: the RequestHandler of a listener of its own for the API's metrics (`motcua serve
// --metrics-listen`): GET or HEAD /metrics through metrics_answer() (api.hpp; 401 without the
// token when the Api's settings hold one), 404 for any other path, 405 for other methods. The
// requests are counted and logged by the Api's metrics and access log. Thread-safe.
#include <memory>

#include "api/api.hpp"
#include "api/server.hpp"

namespace motcua::api {

class MetricsHandler final : public RequestHandler {
 public:
  explicit MetricsHandler(std::shared_ptr<Api> api) : api_(std::move(api)) {}

  std::size_t route(Request& request) override;
  Response handle(Request& request) override;
  Response refuse(Request& request, Refusal why) override;

 private:
  std::shared_ptr<Api> api_;
};

}  // namespace motcua::api
