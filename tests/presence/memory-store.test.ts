import { MemoryPresenceStore } from "../../apps/server/src/presence/store.js";
import { describePresenceStoreContract } from "../contracts/presence-store.contract.js";

describePresenceStoreContract("memory", () => new MemoryPresenceStore());
