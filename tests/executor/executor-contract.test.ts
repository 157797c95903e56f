import { defineContractSuite } from "./contract-suite";

defineContractSuite(() => ({ inMemory: true }));
