#pragma once
// What the API's routes share: the engine services and ports app/ wires in, the settings, the
// authenticator, the rate limiters and the metrics. Built once by Api::create(); read-only
// afterwards except through the thread-safe members.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/access_log.hpp"
#include "api/auth.hpp"
#include "api/metrics.hpp"
#include "api/rate_limit.hpp"
#include "api/status_cache.hpp"
#include "base/limits.hpp"
#include "engine/calendar.hpp"
#include "engine/legal_rules.hpp"
#include "engine/clock.hpp"
#include "engine/dossier_statistics.hpp"
#include "engine/identity.hpp"
#include "engine/lifecycle_service.hpp"
#include "engine/ports/attachment_store.hpp"
#include "engine/procedure.hpp"
#include "engine/procedure_source.hpp"
#include "signing/verifier.hpp"

namespace motcua::api {

struct ApiSettings {
  std::size_t upload_limit = base::limits::kUploadBytes;  // uploads and documents to verify
  AuthSettings auth;
  double login_per_minute = 10, login_burst = 10;
  double tracking_per_minute = 60, tracking_burst = 30;
  std::FILE* access_log = stdout;  // nullptr: no access log
  // The server's key: it signs the read capabilities given with uploads (routes_attachments.cpp)
  // and derives the tracking secrets of submissions sent with an Idempotency-Key
  // (routes_dossiers.cpp). Empty: a random key made by Api::create, valid for this process only
  // (`motcua serve --server-key-file` shares one between servers and restarts).
  std::string server_key;
  // /metrics on the API's listener: off by default (404 there); on, it answers callers presenting
  // `metrics_token` (when not empty) as "Authorization: Bearer <token>", 401 others. A
  // MetricsHandler (metrics_handler.hpp) serves them on a listener of its own, with the same token.
  bool metrics_on_api = false;
  std::string metrics_token;
};

struct ApiDeps {
  std::shared_ptr<engine::LifecycleService> lifecycle;
  std::shared_ptr<engine::IdentityRepository> identity;
  std::shared_ptr<engine::AttachmentStore> attachments;
  std::shared_ptr<engine::DossierStatistics> statistics;
  // The catalogue: the very source the lifecycle service reads (LifecycleDeps::procedures).
  std::shared_ptr<const engine::ProcedureSource> procedures;
  std::shared_ptr<const engine::Calendar> calendar;
  // Optional: the lifecycle rules (LifecycleDeps::rules); null: the built-in defaults.
  std::shared_ptr<const engine::LegalRuleBook> rules;
  std::shared_ptr<const engine::Clock> clock;
  // /readyz: the database is migrated and takes writes now (store::Readiness, rate-limited).
  std::function<engine::Status()> ready;
  std::shared_ptr<const signing::Verifier> verifier;  // null: /verify answers 503
  // Optional: public tracking views kept in memory, fed by a change feed (status_cache.hpp).
  std::shared_ptr<StatusCache> status_cache;
};

struct Context {
  ApiDeps deps;
  ApiSettings settings;
  Authenticator auth;
  RateLimiter login_limiter;
  RateLimiter tracking_limiter;
  Metrics metrics;
  AccessLog access_log;

  Context(ApiDeps d, ApiSettings s)
      : deps(std::move(d)),
        settings(s),
        auth(deps.identity, deps.clock, settings.auth),
        login_limiter(settings.login_per_minute, settings.login_burst),
        tracking_limiter(settings.tracking_per_minute, settings.tracking_burst),
        access_log(settings.access_log) {}

  int utc_offset_minutes() const;
  std::string format(engine::Instant at) const;
  // The catalogue's procedure: exactly `version`, or the version in force when 0; nullptr when
  // absent.
  std::shared_ptr<const engine::Procedure> procedure(std::string_view code, int version = 0) const;
};

}  // namespace motcua::api
