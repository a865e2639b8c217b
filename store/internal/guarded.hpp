#pragma once
// Private to store/: the one place where SOCI exceptions become engine::Errors. Every adapter
// method runs its SOCI work as `guarded(operation, body)`; `operation` names what was being done
// ("loading dossier X") and becomes the operator's message ("loading dossier X failed", or
// kConflict "...: a concurrent transaction interfered; retry"); clients read only the api's
// sentence for the code (Error::public_message stays empty); the driver's text goes only into
// Error::detail (detail::sql_error). Thread-safety: that of `body`.
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "engine/error.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store::detail {

template <class R>
struct GuardedResult {
  using type = engine::Result<R>;  // a plain value is wrapped
};
template <>
struct GuardedResult<void> {
  using type = engine::Status;
};
template <class T>
struct GuardedResult<tl::expected<T, engine::Error>> {
  using type = tl::expected<T, engine::Error>;
};

// Runs `body` (which returns an engine::Result<T>, a Status, a plain T or nothing) and returns its
// result as a Result; an exception becomes sql_error(e, operation). When `on_duplicate` is given,
// a unique-key violation becomes that error instead.
template <class F>
auto guarded(const std::string& operation, F&& body,
             std::optional<engine::Error> on_duplicate = std::nullopt) {
  using R = std::invoke_result_t<F>;
  using Out = typename GuardedResult<R>::type;
  try {
    if constexpr (std::is_void_v<R>) {
      std::forward<F>(body)();
      return Out{};
    } else {
      return Out(std::forward<F>(body)());
    }
  } catch (const std::exception& e) {
    if (on_duplicate && classify(e) == SqlFailure::kUniqueViolation)
      return Out(tl::unexpected(std::move(*on_duplicate)));
    return Out(tl::unexpected(sql_error(e, operation)));
  }
}

}  // namespace motcua::store::detail
