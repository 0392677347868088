import { MemoryLobbyStore } from "../../apps/server/src/lobby/memory-store.js";
import { describeLobbyStoreContract } from "../contracts/lobby-store.contract.js";

describeLobbyStoreContract("memory", () => new MemoryLobbyStore());
