#pragma once
// The shipped catalogue (with the exact bytes of each definition), the shipped working-time
// calendars and a manual clock, for tests of the lifecycle services in memory (tests/engine) and on
// real databases (tests/store). No doctest in here.
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "engine/calendar.hpp"
#include "engine/clock.hpp"
#include "engine/procedure_source.hpp"
#include "workflows/calendar_loader.hpp"
#include "workflows/catalog.hpp"
#include "workflows/xml_library.hpp"

namespace motcua::engine::testing {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant at) : seconds_(at.time_since_epoch().count()) {}
  Instant now() const override { return Instant{std::chrono::seconds{seconds_.load()}}; }
  void set(Instant at) { seconds_ = at.time_since_epoch().count(); }
  void advance(std::chrono::seconds by) { seconds_ += by.count(); }

 private:
  std::atomic<long long> seconds_;
};

// The shipped catalogue with the exact bytes of each definition. libxml2 stays initialised for the
// process. Errors: those of loading.
inline Result<std::shared_ptr<const InMemoryProcedureSource>> shipped_procedures() {
  static workflows::XmlLibrary xml;
  const std::string root = MOTCUA_SOURCE_DIR;
  auto loader = workflows::ProcedureLoader::create(root + "/schemas/workflow.xsd");
  if (!loader) return tl::unexpected(loader.error());
  auto report = workflows::Catalog::load_directory(*loader, root + "/workflows/catalog");
  if (!report) return tl::unexpected(report.error());
  auto source = std::make_shared<InMemoryProcedureSource>();
  for (const workflows::ProcedurePtr& p : report->catalog.all()) {
    std::ifstream in(p->source_path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    auto added = source->add(PublishedProcedure{p, std::make_shared<const std::string>(bytes.str())});
    if (!added) return tl::unexpected(added.error());
  }
  return source;
}

inline Result<std::shared_ptr<const Calendar>> shipped_calendar() {
  auto calendar = workflows::load_calendar({workflows::default_calendar_dir(MOTCUA_SOURCE_DIR)});
  if (!calendar) return tl::unexpected(calendar.error());
  return std::make_shared<const Calendar>(std::move(*calendar));
}

// A complete form of the construction permit 1.013225.
inline std::map<std::string, std::string> permit_form() {
  return {{"investor-name", "Nguyễn Thị Hoa"},
          {"personal-id", "001190012345"},
          {"site-address", "12 Lê Lợi, phường Thuận Hóa, Huế"},
          {"parcel", "Thửa 45, tờ bản đồ 12"},
          {"floor-area", "180.5"},
          {"storeys", "3"},
          {"work-type", "nhà ở riêng lẻ"}};
}

}  // namespace motcua::engine::testing
