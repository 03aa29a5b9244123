#include "app/config_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

namespace parley {
namespace {

namespace fs = std::filesystem;

// Each test runs in its own empty directory, so ./parley.toml is whatever the test writes.
class ConfigLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    old_cwd_ = fs::current_path();
    std::string tmpl = (fs::temp_directory_path() / "parley-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    fs::current_path(dir_);
  }
  void TearDown() override {
    fs::current_path(old_cwd_);
    fs::remove_all(dir_);
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  Result<LoadedConfig> Load(std::initializer_list<std::string> args, const Environ& env = {}) {
    std::vector<std::string> storage = {"parley"};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    return LoadConfig(static_cast<int>(storage.size()), argv.data(), env);
  }

  // The error message of a load that must fail.
  std::string ErrorOf(std::initializer_list<std::string> args, const Environ& env = {}) {
    auto r = Load(args, env);
    EXPECT_FALSE(r.ok()) << "expected an error for this configuration";
    return r.ok() ? "" : r.status().message();
  }

  fs::path old_cwd_;
  fs::path dir_;
};

TEST_F(ConfigLoaderTest, NoFileNoEnvNoFlagsGivesDefaults) {
  auto r = Load({});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->action, ConfigAction::kRun);
  EXPECT_EQ(r->config_file, "");
  EXPECT_EQ(ToToml(r->config), ToToml(Config{}));
  EXPECT_EQ(r->config.server.port, 8787);
  EXPECT_EQ(r->config.limits.max_message_bytes, 4096);
}

TEST_F(ConfigLoaderTest, DefaultFileInWorkingDirectoryIsRead) {
  Write("parley.toml",
        "[server]\nport = 9000\nlog_level = \"debug\"\n"
        "[limits]\nmax_message_bytes = 100\n");
  auto r = Load({});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->config_file, "parley.toml");
  EXPECT_EQ(r->config.server.port, 9000);
  EXPECT_EQ(r->config.server.log_level, "debug");
  EXPECT_EQ(r->config.limits.max_message_bytes, 100);
  EXPECT_EQ(r->config.limits.max_frame_bytes, 65536);  // untouched settings keep defaults
}

TEST_F(ConfigLoaderTest, DottedKeysAtTopLevelWork) {
  Write("parley.toml", "store.synchronous = \"normal\"\n");
  auto r = Load({});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->config.store.synchronous, "normal");
}

TEST_F(ConfigLoaderTest, ConfigFlagAndVariableChooseTheFile) {
  Write("a.toml", "[server]\nport = 1111\n");
  Write("b.toml", "[server]\nport = 2222\n");
  Write("parley.toml", "[server]\nport = 3333\n");
  EXPECT_EQ(Load({}, {{"PARLEY_CONFIG", "a.toml"}})->config.server.port, 1111);
  EXPECT_EQ(Load({"--config", "b.toml"}, {{"PARLEY_CONFIG", "a.toml"}})->config.server.port, 2222);
}

TEST_F(ConfigLoaderTest, NamedFileThatIsMissingIsAnError) {
  EXPECT_EQ(ErrorOf({"--config", "nope.toml"}), "config: config file nope.toml does not exist");
  EXPECT_EQ(ErrorOf({}, {{"PARLEY_CONFIG", "gone.toml"}}),
            "config: config file gone.toml does not exist");
}

TEST_F(ConfigLoaderTest, EnvironmentOverridesFile) {
  Write("parley.toml", "[server]\nport = 9000\nhost = \"0.0.0.0\"\n");
  auto r = Load({}, {{"PARLEY_SERVER_PORT", "9001"}, {"PARLEY_LIMITS_MAX_ROOMS", "7"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->config.server.port, 9001);
  EXPECT_EQ(r->config.server.host, "0.0.0.0");
  EXPECT_EQ(r->config.limits.max_rooms, 7);
}

TEST_F(ConfigLoaderTest, ShortVariablesWorkAndTheFullNameWins) {
  auto r = Load({}, {{"PARLEY_HOST", "::1"},
                     {"PARLEY_PORT", "1"},
                     {"PARLEY_DATA_DIR", "/var/lib/parley"},
                     {"PARLEY_SHARDS", "3"},
                     {"PARLEY_LOG_LEVEL", "warn"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->config.server.host, "::1");
  EXPECT_EQ(r->config.server.port, 1);
  EXPECT_EQ(r->config.server.data_dir, "/var/lib/parley");
  EXPECT_EQ(r->config.server.shards, 3);
  EXPECT_EQ(r->config.server.log_level, "warn");

  auto both = Load({}, {{"PARLEY_PORT", "1"}, {"PARLEY_SERVER_PORT", "2"}});
  ASSERT_TRUE(both.ok()) << both.status().message();
  EXPECT_EQ(both->config.server.port, 2);
}

TEST_F(ConfigLoaderTest, FlagsOverrideEnvironmentAndFile) {
  Write("parley.toml", "[server]\nport = 9000\n[history]\nring_size = 500\n");
  auto r = Load({"--port", "9002", "--data-dir=/tmp/x", "--history-ring-size", "600"},
                {{"PARLEY_PORT", "9001"}, {"PARLEY_HISTORY_RING_SIZE", "550"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->config.server.port, 9002);
  EXPECT_EQ(r->config.server.data_dir, "/tmp/x");
  EXPECT_EQ(r->config.history.ring_size, 600);
}

TEST_F(ConfigLoaderTest, RepeatedFlagTakesTheLast) {
  auto r = Load({"--port", "1", "--port", "2"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->config.server.port, 2);
}

TEST_F(ConfigLoaderTest, PortZeroMeansAnyFreePortAndIsAccepted) {
  auto r = Load({"--port", "0"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->config.server.port, 0);
}

TEST_F(ConfigLoaderTest, OutOfRangeInFileNamesKeyAndFile) {
  Write("parley.toml", "[limits]\nmax_message_bytes = -1\n");
  EXPECT_EQ(ErrorOf({}),
            "config: limits.max_message_bytes = -1 in parley.toml line 2: "
            "must be between 1 and 1048576");
}

TEST_F(ConfigLoaderTest, WrongTypeInFileIsAnError) {
  Write("parley.toml", "[server]\nport = \"8080\"\n");
  EXPECT_EQ(ErrorOf({}),
            "config: server.port = \"8080\" in parley.toml line 2: must be an integer");
  Write("parley.toml", "[server]\nhost = 1\n");
  EXPECT_EQ(ErrorOf({}), "config: server.host = 1 in parley.toml line 2: must be a string");
  Write("parley.toml", "[server]\nshards = 1.5\n");
  EXPECT_EQ(ErrorOf({}), "config: server.shards = 1.5 in parley.toml line 2: must be an integer");
  Write("parley.toml", "[server]\nshards = true\n");
  EXPECT_EQ(ErrorOf({}), "config: server.shards = true in parley.toml line 2: must be an integer");
}

TEST_F(ConfigLoaderTest, AccountsTakeATomlBooleanOrItsText) {
  Write("parley.toml", "[auth]\naccounts = true\n");
  auto on = Load({});
  ASSERT_TRUE(on.ok()) << on.status().message();
  EXPECT_EQ(on->config.auth.accounts, "true");
  Write("parley.toml", "[auth]\naccounts = \"false\"\n");
  auto off = Load({});
  ASSERT_TRUE(off.ok()) << off.status().message();
  EXPECT_EQ(off->config.auth.accounts, "false");
  EXPECT_EQ(Load({"--accounts", "true"})->config.auth.accounts, "true");
  Write("parley.toml", "[auth]\naccounts = \"maybe\"\n");
  EXPECT_EQ(ErrorOf({}),
            "config: auth.accounts = \"maybe\" in parley.toml line 2: must be one of false, true");
  // Other text settings still refuse a boolean.
  Write("parley.toml", "[server]\nhost = true\n");
  EXPECT_EQ(ErrorOf({}), "config: server.host = true in parley.toml line 2: must be a string");
}

TEST_F(ConfigLoaderTest, APasswordMinimumAboveTheMaximumIsRefused) {
  EXPECT_NE(ErrorOf({"--min-password-bytes", "300"}).find("auth.min_password_bytes = 300"),
            std::string::npos);
}

TEST_F(ConfigLoaderTest, BadEnumInEachSourceIsAnError) {
  Write("parley.toml", "[store]\nsynchronous = \"off\"\n");
  EXPECT_EQ(
      ErrorOf({}),
      "config: store.synchronous = \"off\" in parley.toml line 2: must be one of full, normal");
  fs::remove(dir_ / "parley.toml");
  EXPECT_EQ(ErrorOf({}, {{"PARLEY_LOG_LEVEL", "loud"}}),
            "config: server.log_level = \"loud\" in environment variable PARLEY_LOG_LEVEL: "
            "must be one of error, warn, info, debug");
  EXPECT_EQ(ErrorOf({"--log-level", "LOUD"}),
            "config: server.log_level = \"LOUD\" in flag --log-level: "
            "must be one of error, warn, info, debug");
}

TEST_F(ConfigLoaderTest, BadNumbersFromEnvironmentAndFlags) {
  EXPECT_EQ(
      ErrorOf({}, {{"PARLEY_PORT", "80x"}}),
      "config: server.port = \"80x\" in environment variable PARLEY_PORT: must be an integer");
  EXPECT_EQ(ErrorOf({}, {{"PARLEY_SERVER_PORT", ""}}),
            "config: server.port = \"\" in environment variable PARLEY_SERVER_PORT: "
            "must be an integer");
  EXPECT_EQ(ErrorOf({"--port", "70000"}),
            "config: server.port = 70000 in flag --port: must be between 0 and 65535");
  EXPECT_EQ(ErrorOf({"--max-rooms", "99999999999999999999999"}),
            "config: limits.max_rooms = \"99999999999999999999999\" in flag --max-rooms: "
            "must be between 1 and 10000000");
  EXPECT_EQ(ErrorOf({"--host", ""}),
            "config: server.host = \"\" in flag --host: must not be empty");
  EXPECT_EQ(ErrorOf({"--data-dir", "a\tb"}),
            "config: server.data_dir = \"a\\u0009b\" in flag --data-dir: "
            "must not contain control characters");
}

TEST_F(ConfigLoaderTest, UnknownKeysAreRejectedWithASuggestion) {
  Write("parley.toml", "[limits]\nmax_mesage_bytes = 10\n");
  EXPECT_EQ(ErrorOf({}),
            "config: unknown setting limits.max_mesage_bytes in parley.toml line 2 "
            "(did you mean limits.max_message_bytes?)");
  Write("parley.toml", "port = 1\n");
  EXPECT_EQ(ErrorOf({}),
            "config: unknown setting port in parley.toml line 1 "
            "(did you mean server.port?)");
  Write("parley.toml", "[cluster]\nredis = \"x\"\n");
  EXPECT_EQ(ErrorOf({}), "config: unknown setting cluster in parley.toml line 1");
  Write("parley.toml", "server = 3\n");
  EXPECT_EQ(ErrorOf({}), "config: server in parley.toml line 1 must be a table ([server])");
}

TEST_F(ConfigLoaderTest, SyntaxErrorIsOneLineWithTheLine) {
  Write("parley.toml", "[server]\nport 1\n");
  std::string msg = ErrorOf({});
  EXPECT_EQ(msg.rfind("config: parley.toml line 2: ", 0), 0u) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

TEST_F(ConfigLoaderTest, SettingsThatContradictEachOtherNameBothSources) {
  Write("parley.toml", "[limits]\nmax_frame_bytes = 1000\n");
  EXPECT_EQ(ErrorOf({}, {{"PARLEY_LIMITS_MAX_MESSAGE_BYTES", "2000"}}),
            "config: limits.max_message_bytes = 2000 (from environment variable "
            "PARLEY_LIMITS_MAX_MESSAGE_BYTES) must not be larger than limits.max_frame_bytes = "
            "1000 (from parley.toml line 2)");
  fs::remove(dir_ / "parley.toml");
  EXPECT_NE(
      ErrorOf({"--history-join-messages", "300"}).find("history.ring_size = 256 (from default)"),
      std::string::npos);
}

TEST_F(ConfigLoaderTest, UnknownFlagAndStrayArgumentsAreErrors) {
  std::string msg = ErrorOf({"--prot", "1"});
  EXPECT_EQ(msg.rfind("config: command line: ", 0), 0u) << msg;
  EXPECT_NE(msg.find("--prot"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  EXPECT_EQ(ErrorOf({"serve"}).rfind("config: command line: ", 0), 0u);
}

TEST_F(ConfigLoaderTest, EveryErrorIsOneLine) {
  const std::vector<std::pair<std::string, std::string>> bad_files = {
      {"bad_value", "[server]\nhost = \"a\\nb\"\nport = -5\n"},
      {"bad_host", "[server]\nhost = \"\\u0001\"\n"},
      {"array", "[server]\nport = [1, 2]\n"},
      {"unterminated", "[server]\nhost = \"abc\n"},
      {"duplicate", "[server]\nport = 1\nport = 2\n"},
      {"date", "[server]\nport = 1979-05-27\n"},
      {"inline_table", "[server]\nport = {a = 1}\n"},
  };
  for (const auto& [name, text] : bad_files) {
    Write("parley.toml", text);
    std::string msg = ErrorOf({});
    EXPECT_EQ(msg.find('\n'), std::string::npos) << name << ": " << msg;
    EXPECT_EQ(msg.rfind("config: ", 0), 0u) << name << ": " << msg;
  }
}

TEST_F(ConfigLoaderTest, HelpListsEveryFlagWithItsDefaultAndSkipsTheFile) {
  Write("parley.toml", "this is not toml");
  auto r = Load({"--help"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->action, ConfigAction::kPrintHelp);
  for (const auto& s : ListSettings()) {
    EXPECT_NE(r->text.find(std::string(s.flag) + " "), std::string::npos) << s.flag;
  }
  EXPECT_NE(r->text.find("--config"), std::string::npos);
  EXPECT_NE(r->text.find("--version"), std::string::npos);
  EXPECT_NE(r->text.find("--max-message-bytes INT=4096"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("--host TEXT=127.0.0.1"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("--log-level {error,warn,info,debug}=info"), std::string::npos);
  EXPECT_NE(r->text.find("PARLEY_LIMITS_*"), std::string::npos) << r->text;
}

TEST_F(ConfigLoaderTest, VersionIsReported) {
  auto r = Load({"--version"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->action, ConfigAction::kPrintVersion);
  EXPECT_EQ(r->text, "parley 0.1.0\n");
}

TEST_F(ConfigLoaderTest, EveryIntegerSettingHoldsItsWholeRange) {
  for (const auto& s : ListSettings()) {
    if (!s.is_integer) continue;
    for (int64_t v : {s.min, s.max}) {
      auto r = Load({}, {{s.env_var, std::to_string(v)},
                         {"PARLEY_HISTORY_RING_SIZE", "1000000"},
                         {"PARLEY_LIMITS_MAX_FRAME_BYTES", "16777216"},
                         {"PARLEY_LIMITS_MAX_HISTORY_PAGE", "10000"}});
      if (!r.ok()) {
        // Only a rule between two settings may refuse an extreme value.
        EXPECT_NE(r.status().message().find("must not be larger"), std::string::npos)
            << r.status().message();
        continue;
      }
      std::string line =
          std::string(s.key.substr(s.key.find('.') + 1)) + " = " + std::to_string(v) + "\n";
      EXPECT_NE(ToToml(r->config).find(line), std::string::npos) << s.key << " = " << v;
    }
  }
}

TEST_F(ConfigLoaderTest, ToTomlReadsBackToTheSameConfig) {
  auto changed =
      Load({"--host", "a \"quoted\" host", "--port", "1", "--store-synchronous", "normal"});
  ASSERT_TRUE(changed.ok()) << changed.status().message();
  Write("round.toml", ToToml(changed->config));
  auto back = Load({"--config", "round.toml"});
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->config.server.host, "a \"quoted\" host");
  EXPECT_EQ(ToToml(back->config), ToToml(changed->config));
}

#ifdef PARLEY_SOURCE_DIR
TEST_F(ConfigLoaderTest, RepositoryParleyTomlListsEveryDefault) {
  const std::string path = std::string(PARLEY_SOURCE_DIR) + "/parley.toml";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& s : ListSettings()) {
    std::string name(s.key.substr(s.key.find('.') + 1));
    EXPECT_NE(text.find("\n" + name + " = "), std::string::npos) << s.key << " missing";
  }
  auto r = Load({"--config", path});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(ToToml(r->config), ToToml(Config{}));
}
#endif

}  // namespace
}  // namespace parley
