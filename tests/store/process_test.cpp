// Tests that need separate processes: a writer killed with SIGKILL mid-stream, and two deadline
// schedulers on one database. The processes are tests/store/helpers/store_lifecycle_helper.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "tests/store/lifecycle_test_support.hpp"

namespace motcua::store {
using namespace testing;

namespace {

const std::string kHelper =
    std::string(MOTCUA_BINARY_DIR) + "/tests/store/helpers/store_lifecycle_helper";

// A child process whose stdout we read line by line.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(kHelper.c_str()));
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(kHelper.c_str(), argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
    REQUIRE(out_ != nullptr);
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) std::fclose(out_);
  }
  // The next line, or "" at end of output.
  std::string line() {
    char buf[512];
    if (std::fgets(buf, sizeof buf, out_) == nullptr) return "";
    std::string s(buf);
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
  void kill_now() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int wait_exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  std::FILE* out_ = nullptr;
};

}  // namespace

TEST_CASE("A writer killed mid-stream leaves every acknowledged dossier complete and no half") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    Child writer({"write", url, "100000"});
    // Let it acknowledge a few dozen commits, then kill it without warning.
    std::map<std::string, long long> acked;
    for (int i = 0; i < 40; ++i) {
      std::istringstream in(writer.line());
      std::string code;
      long long version = 0;
      const bool parsed = static_cast<bool>(in >> code >> version);
      REQUIRE(parsed);
      acked[code] = version;
    }
    writer.kill_now();
    // Lines printed before the kill were acknowledged too.
    for (std::string l = writer.line(); !l.empty(); l = writer.line()) {
      std::istringstream in(l);
      std::string code;
      long long version = 0;
      if (in >> code >> version) acked[code] = version;
    }
    REQUIRE(acked.size() >= 20);

    auto w = make_world(db, monday_morning());
    REQUIRE(w);
    for (const auto& [code, version] : acked) {
      CAPTURE(code);
      auto view = w->service->view(code);
      REQUIRE_MESSAGE(view, describe(view));
      const engine::Dossier& d = view->stored.dossier;
      CHECK(d.version >= version);
      CHECK(d.version == static_cast<long long>(view->stored.events.size()));
      CHECK(view->components.size() == 2);
      CHECK(view->form.size() == 7);
      const std::string expected_state = d.version == 1 ? "submitted" : "appraisal";
      CHECK(d.state == expected_state);
    }
    // Nothing half-written: every stored dossier has its events, components, form and work item
    // (at most one dossier beyond the acknowledged ones: committed, not yet printed).
    const long long dossiers = count_rows(*db, "dossiers");
    CHECK(dossiers >= static_cast<long long>(acked.size()));
    CHECK(dossiers <= static_cast<long long>(acked.size()) + 1);
    CHECK(count_rows(*db, "dossier_components") == 2 * dossiers);
    // The form lives in the submitted event (one per dossier), never half-written beside it.
    CHECK(count_rows(*db, "dossier_events WHERE seq = 1") == dossiers);
    CHECK(count_rows(*db, "dossier_form_values") == 0);
    CHECK(count_rows(*db, "work_items") == dossiers);
    CHECK(count_rows(*db, "dossier_events WHERE dossier_code NOT IN (SELECT code FROM dossiers)") ==
          0);
    long long gaps = 0;
    {
      soci::session sql(db->pool().connections);
      // Rows hold the events of one command each: every dossier starts at seq 1 and no row
      // starts beyond its version (check_chains below counts the events exactly).
      sql << "SELECT COUNT(*) FROM dossiers d WHERE NOT EXISTS (SELECT 1 FROM dossier_events e "
             "WHERE e.dossier_code = d.code AND e.seq = 1) OR EXISTS (SELECT 1 FROM "
             "dossier_events e WHERE e.dossier_code = d.code AND e.seq > d.version)",
          soci::into(gaps);
    }
    CHECK(gaps == 0);
    check_chains(db);
    // The code sequence continues without a gap after the crash.
    auto next = w->service->submit(good_submission(*w));
    REQUIRE_MESSAGE(next, describe(next));
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "-261123-%04lld", dossiers + 1);
    CHECK(next->dossier.code == std::string(kCentreId) + suffix);
  }
}

TEST_CASE("Two scheduler processes on one database notify each deadline exactly once") {
  for (const auto& url : test_database_urls()) {
    World w = world_on(url);
    CAPTURE(backend_name(*w.db));
    const engine::SubmitRequest r = good_submission(w);
    constexpr int kDossiers = 60;
    for (int i = 0; i < kDossiers; ++i) {
      engine::Dossier d = submit_ok(w, r).dossier;
      w.clock->advance(std::chrono::seconds(60));
      act_ok(w, action(d, "accept", officer("desk")));
    }
    // Every dossier is due on Monday 14 December 2026 at 17:00; a week later all are overdue.
    Child a({"schedule", url, "2026-12-21T09:00:00+07:00", "3"});
    Child b({"schedule", url, "2026-12-21T09:00:00+07:00", "3"});
    std::istringstream ra(a.line()), rb(b.line());
    CHECK(a.wait_exit() == 0);
    CHECK(b.wait_exit() == 0);
    long long soon_a = -1, late_a = -1, soon_b = -1, late_b = -1;
    const bool parsed_a = static_cast<bool>(ra >> soon_a >> late_a);
    REQUIRE(parsed_a);
    const bool parsed_b = static_cast<bool>(rb >> soon_b >> late_b);
    REQUIRE(parsed_b);
    const long long soon = soon_a + soon_b, late = late_a + late_b;
    CHECK(soon == 0);
    CHECK(late == kDossiers);
    CHECK(count_rows(*w.db, "outbox WHERE topic = 'dossier.deadline'") == kDossiers);
    CHECK(count_rows(*w.db,
                     "(SELECT dossier_code FROM outbox WHERE topic = 'dossier.deadline' GROUP BY "
                     "dossier_code HAVING COUNT(*) > 1) twice") == 0);
    CHECK(count_rows(*w.db, "work_items WHERE mark = 2") == kDossiers);
    // A third run finds nothing left to do.
    Child c({"schedule", url, "2026-12-21T09:00:00+07:00", "3"});
    CHECK(c.line() == "0 0 0");
    CHECK(c.wait_exit() == 0);
  }
}

}  // namespace motcua::store
