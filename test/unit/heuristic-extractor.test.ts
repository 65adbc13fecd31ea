import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBland } from "../../src/adapters/inbound/bland.ts";
import { parseIntake } from "../../src/adapters/inbound/intake.ts";
import type { ParseResult } from "../../src/adapters/inbound/parse-result.ts";
import { parseRetell } from "../../src/adapters/inbound/retell.ts";
import { parseVapi } from "../../src/adapters/inbound/vapi.ts";
import {
  findAddress,
  findAnsweredAddress,
  aboutThisJob,
  findCallbackPhone,
  findDirectorySource,
  findFollowUpDate,
  findLeadType,
  findMarket,
  findName,
  findPromisedNextStep,
  findReferral,
  findServiceType,
  findUrgency,
  heuristicExtractor,
  mentions,
  sentences,
  splitTurns,
  spokenDigitsToNumerals,
  summarize,
  type Turn,
} from "../../src/adapters/extractor/heuristic/index.ts";

const caller = (text: string): Turn => ({ speaker: "caller", text });
const agent = (text: string): Turn => ({ speaker: "agent", text });
const SERVICE_TYPES = ["Water heater", "Drain cleaning", "AC repair", "Heating", "Plumbing"];
// Tuesday 10 June 2025, 3 pm in Austin.
const NOW = new Date("2025-06-10T20:00:00Z");
const TZ = "America/Chicago";

describe("splitTurns", () => {
  it("reads the speaker labels of Vapi, Retell, Bland and human receptionists", () => {
    expect(splitTurns("AI: Hello.\nUser: Hi.")).toEqual([agent("Hello."), caller("Hi.")]);
    expect(splitTurns("Agent: Hello.\nUser: Hi.")).toEqual([agent("Hello."), caller("Hi.")]);
    expect(splitTurns("assistant: Hello.\n user: Hi.")).toEqual([agent("Hello."), caller("Hi.")]);
    expect(splitTurns("Receptionist: Hello.\nCaller: Hi.")).toEqual([agent("Hello."), caller("Hi.")]);
  });

  it("reads a person's name as a label: the other side of a known label, else the first to speak is the agent", () => {
    expect(splitTurns("Tasha: Acme, this is Tasha.\nCaller: Hi, my pipe burst.")).toEqual([agent("Acme, this is Tasha."), caller("Hi, my pipe burst.")]);
    expect(splitTurns("Deb: Acme after-hours, this is Deb.\nMarco: Hey Deb, this is Marco.\nDeb: Address?")).toEqual([
      agent("Acme after-hours, this is Deb."),
      caller("Hey Deb, this is Marco."),
      agent("Address?"),
    ]);
    expect(splitTurns("Steve: Hi, this message is for Acme.")).toEqual([caller("Hi, this message is for Acme.")]);
    expect(splitTurns("User: My address is\nNote: gate code 4411")).toEqual([caller("My address is Note: gate code 4411")]);
  });

  it("splits turns written on one line", () => {
    expect(splitTurns("AI: Acme, how can I help? User: My name is Ana Ruiz. AI: Thanks Ana.")).toEqual([
      agent("Acme, how can I help?"),
      caller("My name is Ana Ruiz."),
      agent("Thanks Ana."),
    ]);
  });

  it("joins an unlabelled line to the turn before it, and treats unlabelled text as the caller's", () => {
    expect(splitTurns("User: My pipe\nburst.")).toEqual([caller("My pipe burst.")]);
    expect(splitTurns("Customer wants a quote for a water heater.")).toEqual([caller("Customer wants a quote for a water heater.")]);
  });
});

describe("sentences", () => {
  it("splits at sentence ends and at a dash between clauses, not after a title nor inside a number", () => {
    expect(sentences("Hi. I'm Dr. Rao.")).toEqual(["Hi.", "I'm Dr. Rao."]);
    expect(sentences("They used you - I'm Chloe Baxter, by the way - and our toilet runs.")).toEqual([
      "They used you",
      "I'm Chloe Baxter, by the way",
      "and our toilet runs.",
    ]);
    expect(sentences("Call five one two - five five five - zero one nine nine.")).toEqual(["Call five one two - five five five - zero one nine nine."]);
  });
});

describe("spokenDigitsToNumerals", () => {
  it("turns a spoken phone number into digits", () => {
    expect(spokenDigitsToNumerals("my cell, five one two, five five five, zero one six four.")).toBe("my cell, 5125550164.");
    expect(spokenDigitsToNumerals("it's five one two 555 oh one nine nine")).toBe("it's 5125550199");
  });

  it("leaves other uses of number words alone", () => {
    expect(spokenDigitsToNumerals("Oh my gosh, one or two pipes")).toBe("Oh my gosh, one or two pipes");
    expect(spokenDigitsToNumerals("unit four two one")).toBe("unit four two one");
  });
});

describe("findCallbackPhone", () => {
  it("prefers a number the caller asks to be called back on over caller ID", () => {
    const turns = [caller("Can you call me back at 512-555-0199 instead? That's my cell.")];
    expect(findCallbackPhone(turns, "+15125550188")).toBe("+15125550199");
  });

  it("takes a spoken-digit callback number", () => {
    const turns = [caller("The best number to reach me is my cell, five one two, five five five, zero one six four.")];
    expect(findCallbackPhone(turns, "+15125550163")).toBe("+15125550164");
  });

  it("lets 'call me back at … instead' win over an earlier 'my number is'", () => {
    const turns = [caller("My number is 512-555-0188."), caller("Actually call me back at 512 555 0199 instead.")];
    expect(findCallbackPhone(turns, null)).toBe("+15125550199");
  });

  it("ignores numbers the agent reads back", () => {
    expect(findCallbackPhone([agent("I have 512-555-0111, is that right?"), caller("Yes.")], "+15125550142")).toBe("+15125550142");
  });

  it("falls back to caller ID, then to any number the caller said", () => {
    expect(findCallbackPhone([caller("The leak is bad.")], "+15125550142")).toBe("+15125550142");
    expect(findCallbackPhone([caller("Ring 512-555-0177 when you're close.")], "+15125550142")).toBe("+15125550142");
    expect(findCallbackPhone([caller("Ring 512-555-0177 when you're close.")], null)).toBe("+15125550177");
    expect(findCallbackPhone([caller("The gate code is 4411.")], null)).toBeNull();
  });
});

describe("findCallbackPhone: which of several numbers", () => {
  it("takes the number the caller asks to be used, even someone else's ('use my wife's cell')", () => {
    const turns = [agent("Is 720-555-0102 the best number?"), caller("I'm on a job site all day. Use my wife's cell, 303-555-0299.")];
    expect(findCallbackPhone(turns, "+17205550102")).toBe("+13035550299");
  });

  it("takes 'call my son, Tyler, at …' when asked who to call", () => {
    const turns = [agent("Who should the technician call?"), caller("Call my son, Tyler, at 303-555-0372. He's there now.")];
    expect(findCallbackPhone(turns, "+17205550371")).toBe("+13035550372");
  });

  it("keeps caller ID over 'if you can't reach me, try my daughter at …'", () => {
    const turns = [agent("Is this number the best way to reach you?"), caller("Yes, this number. If you can't reach me, try my daughter at 512-555-0313.")];
    expect(findCallbackPhone(turns, "+15125550307")).toBe("+15125550307");
  });

  it("keeps the main number over a backup given after it", () => {
    const turns = [agent("What's the best number?"), caller("My cell is 512-555-0220. If I don't pick up, my son's number is 512-555-0388.")];
    expect(findCallbackPhone(turns, null)).toBe("+15125550220");
  });

  it("lets the caller's correction win", () => {
    const turns = [agent("What's a good number for you?"), caller("512-555-0241. Wait, no, sorry, it's 512-555-0214. I always flip those.")];
    expect(findCallbackPhone(turns, null)).toBe("+15125550214");
  });

  it("reads an area code said apart and a +1 number", () => {
    expect(findCallbackPhone([agent("What's the best number to reach you?"), caller("Area code 737, 555-0230.")], null)).toBe("+17375550230");
    expect(findCallbackPhone([agent("What number should we call?"), caller("My phone is +1 206 555 0234.")], "+15125550234")).toBe("+12065550234");
  });

  it("does not take a cue from the number before it in the same sentence", () => {
    expect(findCallbackPhone([caller("Call me back at 512-555-0199, my office is 512-555-0100.")], null)).toBe("+15125550199");
  });
});

describe("findName", () => {
  it("reads 'my name is', stopping at the next clause, and capitalises", () => {
    expect(findName([caller("hi my name is priya shah and i have a clog")])).toBe("Priya Shah");
    expect(findName([caller("Hi, my name's Daniel Ortiz.")])).toBe("Daniel Ortiz");
  });

  it("reads the answer to the agent's name question", () => {
    expect(findName([agent("Can I get your name, please?"), caller("Sure, Maria Gonzalez.")])).toBe("Maria Gonzalez");
  });

  it("reads 'this is …' only when a capitalised name follows, and only from the caller", () => {
    expect(findName([agent("This is Ava."), caller("Hey, this is Kevin Tran. My AC is out.")])).toBe("Kevin Tran");
    expect(findName([caller("It's a slow drip."), caller("this is urgent")])).toBeNull();
    expect(findName([agent("Hi, this is Riley.")])).toBeNull();
  });

  it("reads Spanish introductions", () => {
    expect(findName([caller("Sí. Me llamo José Ramírez. Mi número es 512 555 0173.")])).toBe("José Ramírez");
    expect(findName([caller("Mi nombre es Lucía Fernández.")])).toBe("Lucía Fernández");
  });

  it("reads a name given after other words, after a neighbour's, as 'X here', and last name first", () => {
    expect(findName([caller("Hi, I'm looking to get a quote on a water heater install. I'm Daniel Cho.")])).toBe("Daniel Cho");
    expect(findName([caller("Hello. My neighbor Linda Park recommended you. I'm Ruth Adler.")])).toBe("Ruth Adler");
    expect(findName([caller("Kevin O'Brien here. I've got a toilet that won't stop running.")])).toBe("Kevin O'Brien");
    expect(findName([caller("Hi Quinn, Doug Farrell. The pilot keeps going out.")])).toBe("Doug Farrell");
    expect(findName([caller("Last name Nakagawa, N-A-K-A-G-A-W-A, first name Ken.")])).toBe("Ken Nakagawa");
    expect(findName([caller("Hi, this is Luis De La Cruz.")])).toBe("Luis De La Cruz");
    expect(findName([caller("Yes, hello, my name is Dr. Anand Rao, I'm calling about the heating.")])).toBe("Anand Rao");
  });

  it("reads a name after a role: 'this is his sister, Maria Ortiz', 'I'm the maintenance supervisor, Rick Alvarez'", () => {
    expect(findName([caller("My brother Sam Ortiz suggested I call you. This is his sister, Maria Ortiz.")])).toBe("Maria Ortiz");
    expect(findName([caller("Hi, I'm calling from Oak Ridge Apartments, I'm the maintenance supervisor, Rick Alvarez.")])).toBe("Rick Alvarez");
  });

  it("reads a spelled name, a surname then the whole name after a comma, and a last name asked for next", () => {
    expect(findName([agent("Could you spell your name for me?"), caller("Sure. F-R-A-N-K, and the last name is N-G.")])).toBe("Frank Ng");
    expect(findName([agent("Can I get your name?"), caller("Yes ma'am, it's Cortez, Luis Cortez.")])).toBe("Luis Cortez");
    expect(findName([agent("Who am I speaking with?"), caller("Brenda."), agent("And your last name?"), caller("Sauer. S-A-U-E-R.")])).toBe("Brenda Sauer");
    expect(findName([caller("Hi, Robert Hayes Jr. calling. My AC line is leaking.")])).toBe("Robert Hayes Jr");
  });

  it("takes the name the account goes under, and never someone else's", () => {
    const underWife = [agent("Can I get your name?"), caller("Yeah, it's Matt. Actually put it under my wife's name, she's the homeowner. Her name is Julia Sorensen.")];
    expect(findName(underWife)).toBe("Julia Sorensen");
    expect(findName([caller("I'm calling for my neighbour. Her name is Mrs. Alvarez but she won't pick up.")])).toBeNull();
    expect(findName([agent("Who am I speaking with?"), caller("I'm the owner, Richard Coleman. The rental is on Pinehurst.")])).toBe("Richard Coleman");
    expect(findName([caller("Hi, I know it's June, but the heat pump is stuck on heat.")])).toBeNull();
  });

  it("reads 'the name's Hank. Hank Dubois.', 'Hi, name is …' and a surname then the whole name", () => {
    expect(findName([caller("The name's Hank. Hank Dubois.")])).toBe("Hank Dubois");
    expect(findName([caller("Hi, name is Lakshmi Narayanan. I'd like a quote.")])).toBe("Lakshmi Narayanan");
    expect(findName([agent("What's your last name?"), caller("Okafor. Greg Okafor.")])).toBe("Greg Okafor");
    expect(findName([caller("My wife's name is Ana, she'll be home.")])).toBeNull();
  });

  it("takes no business's name for the caller's", () => {
    expect(findName([caller("Hi, this is Peachtree Electric, right? I saw your truck.")])).toBeNull();
    expect(findName([caller("Hello, Gulf Coast Roofing? My downspout fell off.")])).toBeNull();
    expect(findName([caller("Hi, it's Mike's wife, he asked me to call.")])).toBeNull();
    expect(findName([caller("Hi Jordan, Merry Christmas. Our furnace quit.")])).toBeNull();
    expect(findName([caller("My sink is clogged."), agent("Okay."), caller("Hi, Linda Park. She recommended you.")])).toBeNull();
    expect(findName([caller("Hi. Name's Walt. My furnace quit.")])).toBe("Walt");
    expect(findName([agent("Can I get your name?"), caller("It's Lorena. Lorena Ibarra.")])).toBe("Lorena Ibarra");
    expect(findName([agent("Who do I have the pleasure of speaking with?"), caller("Hi Ava, this is Raj Patel.")])).toBe("Raj Patel");
  });

  it("finds nothing when no name was given", () => {
    expect(findName([caller("it's uh... sh... [inaudible]")])).toBeNull();
  });
});

describe("findAddress", () => {
  it("reads number, street, city, state and ZIP, and takes the city as market", () => {
    expect(findAddress("It's 4821 Burnet Road, Austin, Texas 78756.")).toEqual({
      serviceAddress: "4821 Burnet Road, Austin, Texas 78756",
      market: "Austin",
    });
  });

  it("keeps the unit and a directional prefix", () => {
    expect(findAddress("1907 East Cesar Chavez Street, Unit 4, Austin 78702.")).toEqual({
      serviceAddress: "1907 East Cesar Chavez Street, Unit 4, Austin 78702",
      market: "Austin",
    });
    expect(findAddress("3302 Red River Street, Apartment 210, Austin, TX 78705")?.serviceAddress).toBe(
      "3302 Red River Street, Apartment 210, Austin, TX 78705",
    );
  });

  it("does not take the next sentence's first word as a city", () => {
    expect(findAddress("I'm at 915 West Mary Street. Is that in your area?")).toEqual({
      serviceAddress: "915 West Mary Street",
      market: null,
    });
  });

  it("keeps a direction after the street kind, 'de' inside a street name, and 'Avenue D'", () => {
    expect(findAddress("2145 Peachtree Road Northwest, Atlanta, Georgia 30309.")?.serviceAddress).toBe("2145 Peachtree Road Northwest, Atlanta, Georgia 30309");
    expect(findAddress("880 Ponce de Leon Avenue, Atlanta.")).toEqual({ serviceAddress: "880 Ponce de Leon Avenue, Atlanta", market: "Atlanta" });
    expect(findAddress("It's 4306 Avenue D, Austin.")?.serviceAddress).toBe("4306 Avenue D, Austin");
  });

  it("takes the corrected address, a city said as its own sentence, and a unit said after", () => {
    expect(findAddress("It's 4812, sorry, 4821 Burnet Road. Austin.")).toEqual({ serviceAddress: "4821 Burnet Road, Austin", market: "Austin" });
    expect(findAddress("4812 Burnet Road, no sorry, 4821 Burnet Road, Austin")?.serviceAddress).toBe("4821 Burnet Road, Austin");
    expect(findAddress("5150 Buford Highway, apartamento 12, Doraville.")).toEqual({ serviceAddress: "5150 Buford Highway, apartamento 12, Doraville", market: "Doraville" });
    expect(findAddress("1800 Lavaca Street, Unit 410. No wait, 401. Austin.")).toEqual({ serviceAddress: "1800 Lavaca Street, Unit 401, Austin", market: "Austin" });
    expect(findAddress("3300 Bryker Drive. Oh sorry, it's Bryker Woods Drive, 3300 Bryker Woods Drive, Austin.")?.serviceAddress).toBe("3300 Bryker Woods Drive, Austin");
  });

  it("takes the job site over the caller's home address", () => {
    const said = "I live at 801 Brazos Street but the problem is at my rental house, 4609 Avenue B, Austin.";
    expect(findAddress(said)).toEqual({ serviceAddress: "4609 Avenue B, Austin", market: "Austin" });
    expect(findAddress("Bills go to 12 Oak Street, Dallas.")).toBeNull();
  });

  it("ignores numbers that are not street addresses", () => {
    expect(findAddress("We've lived 20 years on this street.")).toBeNull();
    expect(findAddress("It's 85 degrees upstairs.")).toBeNull();
  });
});

describe("findAnsweredAddress", () => {
  it("reads a street without its kind when it answers the address question and a city or ZIP follows", () => {
    expect(findAnsweredAddress([agent("And the address, Erin?"), caller("48 South Clarkson, Denver, 80209.")])).toEqual({
      serviceAddress: "48 South Clarkson, Denver, 80209",
      market: "Denver",
    });
    expect(findAnsweredAddress([agent("What's the address?"), caller("3418 Speedway, Austin, 78705. Unit B.")])?.serviceAddress).toBe("3418 Speedway, Austin, 78705, Unit B");
  });

  it("reads an all-lowercase answer", () => {
    expect(findAnsweredAddress([agent("And the address of the rental?"), caller("3925 north williams street denver")])).toEqual({
      serviceAddress: "3925 North Williams Street, Denver",
      market: "Denver",
    });
  });

  it("takes nothing that only looks like a house number", () => {
    expect(findAnsweredAddress([agent("What's the address?"), caller("1311 I think, the blue one.")])).toBeNull();
    expect(findAnsweredAddress([agent("What's the address?"), caller("48 South Clarkson.")])).toBeNull();
    expect(findAnsweredAddress([caller("48 South Clarkson, Denver, 80209.")])).toBeNull();
  });
});

describe("findMarket", () => {
  it("reads the city the caller says they are in", () => {
    expect(findMarket([caller("We're in Pflugerville, off Pecan Street.")])).toBe("Pflugerville");
    expect(findMarket([caller("I live in Round Rock.")])).toBe("Round Rock");
    expect(findMarket([caller("I'm in a hurry.")])).toBeNull();
  });
});

describe("mentions", () => {
  it("ignores a negated mention", () => {
    expect(mentions("No, no flooding.", /flooding/)).toBe(false);
    expect(mentions("Thankfully it isn't sparking anymore.", /sparking/)).toBe(false);
    expect(mentions("Is it flooding? Yes, the garage is flooding.", /flooding/)).toBe(true);
  });
});

describe("findUrgency", () => {
  it("calls a safety hazard an emergency", () => {
    expect(findUrgency("I smell gas in the kitchen.", false)).toBe("emergency");
    expect(findUrgency("The outlet is sparking.", false)).toBe("emergency");
    expect(findUrgency("We have no heat and it's 20 degrees.", false)).toBe("emergency");
  });

  it("calls failed heating in freezing weather an emergency, and a burning or melting smell", () => {
    expect(findUrgency("Our furnace stopped working overnight, it's 52 degrees in the house.", true)).toBe("emergency");
    expect(findUrgency("Her heat is out, the furnace is just blowing cold air. It's freezing out there.", true)).toBe("emergency");
    expect(findUrgency("The furnace won't come on at all. It's 66 in here.", true)).toBe("standard");
    expect(findUrgency("The outlet is really hot and it smells like melting plastic.", false)).toBe("emergency");
    expect(findUrgency("The bedroom light switch sparked when she turned it on.", false)).toBe("emergency");
  });

  it("calls a burning smell and a carbon monoxide alarm emergencies", () => {
    expect(findUrgency("I smell something burning every time the furnace kicks on.", true)).toBe("emergency");
    expect(findUrgency("Our CO detector keeps going off near the furnace room.", true)).toBe("emergency");
    expect(findUrgency("Water is dripping out of the light fixture in my downstairs ceiling!", true)).toBe("emergency");
  });

  it("calls an overflow, rain coming in and water through a ceiling active loss", () => {
    expect(findUrgency("The toilet overflowed and it's still running onto the floor.", false)).toBe("active_loss");
    expect(findUrgency("A limb came through the roof and now rain is pouring in onto the car.", false)).toBe("active_loss");
    expect(findUrgency("Water is dripping through our bedroom ceiling.", false)).toBe("active_loss");
  });

  it("calls water actively doing damage active loss", () => {
    expect(findUrgency("A pipe burst and there's water everywhere.", false)).toBe("active_loss");
    expect(findUrgency("Sewage is backing up into the tub.", false)).toBe("active_loss");
    expect(findUrgency("The garage is flooding.", false)).toBe("active_loss");
  });

  it("takes the caller's word that it is an emergency", () => {
    expect(findUrgency("Please send someone, this is an emergency.", false)).toBe("emergency");
    expect(findUrgency("It's not an emergency, no rush.", true)).toBe("low");
  });

  it("calls 'no rush' low, but not 'whenever I run the microwave'", () => {
    expect(findUrgency("There's no rush, the current system still works.", true)).toBe("low");
    expect(findUrgency("We're not in a hurry, but we'd like lights over the driveway.", true)).toBe("low");
    expect(findUrgency("The breaker trips whenever I run the microwave.", true)).toBe("standard");
  });

  it("calls a described problem standard and says nothing when none is described", () => {
    expect(findUrgency("My faucet is dripping.", false)).toBe("standard");
    expect(findUrgency("Hola, buenas tardes.", false)).toBeNull();
  });
});

describe("findServiceType", () => {
  it("picks the business's service type whose words were said, the most specific first", () => {
    expect(findServiceType("my water heater is leaking", SERVICE_TYPES)).toBe("Water heater");
    expect(findServiceType("the AC is blowing warm air", SERVICE_TYPES)).toBe("AC repair");
    expect(findServiceType("the A/C is out", SERVICE_TYPES)).toBe("AC repair");
    expect(findServiceType("the sink won't drain", SERVICE_TYPES)).toBe("Drain cleaning");
  });

  it("falls back to a built-in trade, named as the business names it", () => {
    expect(findServiceType("a pipe burst upstairs", SERVICE_TYPES)).toBe("Plumbing");
    expect(findServiceType("the breaker keeps tripping", SERVICE_TYPES)).toBe("electrical");
    expect(findServiceType("the heat pump won't turn on", [])).toBe("HVAC");
    expect(findServiceType("shingles blew off the roof", [])).toBe("roofing");
  });

  it("tells two types with the same words apart by what else the caller says", () => {
    const types = ["water heater install", "water heater repair", "roof repair", "roof replacement"];
    expect(findServiceType("We need a new water heater install, 50 gallon.", types)).toBe("water heater install");
    expect(findServiceType("The pilot on our water heater keeps going out.", types)).toBe("water heater repair");
    expect(findServiceType("Our roof is 22 years old, no leaks, I want a quote on a full replacement.", types)).toBe("roof replacement");
  });

  it("does not take a water heater for heating, nor the business's earlier job for this one", () => {
    expect(findServiceType("The furnace won't come on at all.", ["water heater install", "furnace repair"])).toBe("furnace repair");
    expect(findServiceType("The heat won't come on.", ["water heater install", "plumbing"])).toBe("HVAC");
    const said = ["You were out here in March for the water heater.", "The toilet upstairs keeps clogging."];
    expect(findServiceType(aboutThisJob(said, null, null), ["water heater", "drain cleaning"])).toBe("drain cleaning");
    const again = ["You guys were out last month for my water heater.", "It's leaking again from the same valve."];
    expect(findServiceType(aboutThisJob(again, null, null), ["water heater", "plumbing"])).toBe("water heater");
  });

  it("calls a problem with no word of new work a repair", () => {
    expect(findServiceType("Our water heater is making a high pitched whistle.", ["water heater install", "water heater repair"])).toBe("water heater repair");
  });

  it("matches plurals and word forms, one alternative of a type, and an abbreviation said in full", () => {
    const types = ["panel upgrade", "outlet and switch repair", "EV charger install", "lighting", "electrical repair"];
    expect(findServiceType("Three outlets in my office stopped working.", types)).toBe("outlet and switch repair");
    expect(findServiceType("The parking lot lights have been out for a week.", types)).toBe("lighting");
    expect(findServiceType("We just bought a Tesla and want a charger installed.", types)).toBe("EV charger install");
  });

  it("names a built-in trade as the business names it, the specific trade first", () => {
    expect(findServiceType("The mop sink is clogged and backing up.", ["plumbing", "drain cleaning"])).toBe("drain cleaning");
    expect(findServiceType("Our skylight leaks around the flashing.", ["roof repair", "gutters"])).toBe("roof repair");
    expect(findServiceType("Our AC quit overnight.", ["heating", "air conditioning"])).toBe("air conditioning");
    expect(findServiceType("Half my house has no power since the storm.", ["lighting", "electrical repair"])).toBe("electrical repair");
  });

  it("matches case-insensitively and finds nothing in unrelated talk", () => {
    expect(findServiceType("WATER HEATER is out", ["water heater"])).toBe("water heater");
    expect(findServiceType("hola, buenas tardes", SERVICE_TYPES)).toBeNull();
  });
});

describe("findReferral and findDirectorySource", () => {
  it("keeps the caller's own sentence about who referred them", () => {
    expect(findReferral([caller("Hi there. Jim from Westlake Hardware recommended you. My name is Tom.")])).toBe(
      "Jim from Westlake Hardware recommended you.",
    );
    expect(findReferral([caller("My neighbor, Linda Park, referred me to you guys.")])).toBe("My neighbor, Linda Park, referred me to you guys.");
    expect(findReferral([agent("Were you referred by someone?"), caller("No.")])).toBeNull();
  });

  it("counts a named person's own use of us as a referral, but not the caller's or a directory's", () => {
    expect(findReferral([caller("My neighbor, Frank Delaney, used you for his panel and said you were great.")])).toBe(
      "My neighbor, Frank Delaney, used you for his panel and said you were great.",
    );
    expect(findReferral([caller("My brother-in-law Raymond Ochoa had his roof done by you last year.")])).not.toBeNull();
    expect(findReferral([caller("We've used you before for the water heater.")])).toBeNull();
    expect(findReferral([caller("Our realtor, Dana Whitmore, gave us your name.")])).toBe("Our realtor, Dana Whitmore, gave us your name.");
    expect(findReferral([caller("Somebody on Nextdoor said you guys do sewer inspections.")])).toBeNull();
    expect(findDirectorySource([caller("Somebody on Nextdoor said you guys do sewer inspections.")])).toBe("nextdoor");
    expect(findDirectorySource([caller("People in our neighborhood Facebook group recommended you.")])).toBe("facebook");
    expect(findReferral([caller("Our neighbors, the Hendersons, said you were great with their water heater.")])).not.toBeNull();
  });

  it("reads 'I googled … and you came up'", () => {
    expect(findDirectorySource([caller("Hey, I googled water heater repair and you came up first.")])).toBe("google");
  });

  it("reads where the caller found the business", () => {
    expect(findDirectorySource([caller("I found you on Google and wanted a quote.")])).toBe("google");
    expect(findDirectorySource([caller("Saw your reviews on Yelp.")])).toBe("yelp");
    expect(findDirectorySource([caller("My faucet drips.")])).toBeNull();
  });
});

describe("findLeadType", () => {
  it("recognises estimate, quote and consultation requests", () => {
    expect(findLeadType("I'd like to get an estimate for a heat pump.")).toBe("estimate");
    expect(findLeadType("Looking for a quote on a tankless heater.")).toBe("estimate");
    expect(findLeadType("Can we set up a consultation about a remodel?")).toBe("consult");
  });

  it("reads 'what would that cost' and the caller's yes to the agent's offer of an estimate", () => {
    expect(findLeadType("We want a charger installed. What would something like that cost?")).toBe("estimate");
    expect(findLeadType("Yes please.", [agent("We do. Would you like an estimate?"), caller("Yes please.")])).toBe("estimate");
    expect(findLeadType("No, just fix it.", [agent("Would you like an estimate first?"), caller("No, just fix it.")])).toBeNull();
    expect(findLeadType("", [agent("We can set up a consultation. Would Friday work?"), caller("Friday morning would be great.")])).toBe("consult");
    expect(findLeadType("I don't care what it costs, just fix it.")).toBeNull();
  });

  it("leaves a plain service call and a refused estimate absent", () => {
    expect(findLeadType("My toilet keeps running.")).toBeNull();
    expect(findLeadType("I don't need an estimate, just fix it.")).toBeNull();
  });
});

describe("findPromisedNextStep", () => {
  it("takes the agent's last promise, keeping who 'they' are", () => {
    const turns = [
      agent("I'll note that down."),
      caller("Okay."),
      agent("I'm paging our on-call plumber now. They will call you back within 5 minutes."),
      caller("I'll call you back if it gets worse."),
    ];
    expect(findPromisedNextStep(turns)).toBe("I'm paging our on-call plumber now. They will call you back within 5 minutes.");
  });

  it("finds nothing when the agent promised nothing", () => {
    expect(findPromisedNextStep([agent("Thanks for calling."), caller("We'll call you.")])).toBeNull();
  });
});

describe("findFollowUpDate", () => {
  it("resolves tomorrow, a weekday and a month-day in the business's time zone", () => {
    expect(findFollowUpDate([caller("Tomorrow afternoon works for someone to come out.")], NOW, TZ)).toBe("2025-06-11");
    expect(findFollowUpDate([caller("Could someone come out Thursday morning?")], NOW, TZ)).toBe("2025-06-12");
    expect(findFollowUpDate([caller("Could someone come out Tuesday?")], NOW, TZ)).toBe("2025-06-17");
    expect(findFollowUpDate([caller("Could someone come out June 17th?")], NOW, TZ)).toBe("2025-06-17");
    expect(findFollowUpDate([caller("Can you schedule it for 6/20?")], NOW, TZ)).toBe("2025-06-20");
  });

  it("reads 'would Saturday work?', 'Tuesday's fine' after a booking and 'on the 24th'", () => {
    expect(findFollowUpDate([agent("Would Saturday morning work?")], NOW, TZ)).toBe("2025-06-14");
    expect(findFollowUpDate([agent("Can someone come by on the 24th in the afternoon?")], NOW, TZ)).toBe("2025-06-24");
    expect(findFollowUpDate([agent("Can someone come by on the 3rd?")], NOW, TZ)).toBe("2025-07-03");
    expect(findFollowUpDate([caller("I'm at work until Friday.")], NOW, TZ)).toBeNull();
    expect(findFollowUpDate([caller("Can you come out to the 3rd floor unit?")], NOW, TZ)).toBeNull();
  });

  it("uses the local date, not UTC's, late in the evening", () => {
    // 10 pm on 10 June in Austin is already 11 June in UTC.
    expect(findFollowUpDate([caller("Can someone come out tomorrow?")], new Date("2025-06-11T03:00:00Z"), TZ)).toBe("2025-06-11");
  });

  it("rolls a month-day already past into next year", () => {
    expect(findFollowUpDate([caller("Could you schedule it for January 5th?")], NOW, TZ)).toBe("2026-01-05");
  });

  it("skips an ambiguous 'next Thursday' and dates with no scheduling in the sentence", () => {
    expect(findFollowUpDate([caller("Could someone come out next Thursday?")], NOW, TZ)).toBeNull();
    expect(findFollowUpDate([caller("It started leaking on Monday.")], NOW, TZ)).toBeNull();
  });
});

describe("summarize", () => {
  it("prefers the provider's summary", () => {
    expect(summarize("Caller reports a leak.", [caller("My faucet is dripping a lot today.")])).toBe("Caller reports a leak.");
  });

  it("otherwise takes the caller's sentences about the problem, not their introduction", () => {
    const turns = [caller("Hi, my name is Nina Patel, calling today. My outdoor spigot cracked and it's spraying water.")];
    expect(summarize(null, turns)).toBe("My outdoor spigot cracked and it's spraying water.");
  });

  it("keeps it short and finds nothing in a silent call", () => {
    const long = `My water heater is leaking ${"and leaking ".repeat(60)}.`;
    expect(summarize(null, [caller(long)])!.length).toBeLessThanOrEqual(280);
    expect(summarize(null, [])).toBeNull();
  });
});

// Every fixture's call, end to end: provider parser, then the heuristic on what it produced.
const parsers: Record<string, (raw: string) => ParseResult> = { vapi: parseVapi, retell: parseRetell, bland: parseBland, intake: parseIntake };

async function extractFixture(path: string) {
  const [provider] = path.split("/");
  const result = parsers[provider!]!(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), "utf8"));
  if (result.kind !== "lead") throw new Error(`${path} is not a lead`);
  const { transcript, summary, callerPhone } = result.event;
  return heuristicExtractor().extract({ transcript, summary, callerPhone, serviceTypes: SERVICE_TYPES, timezone: TZ, now: NOW });
}

const NO_CONTENT = ["fullName", "serviceAddress", "market", "serviceType", "urgency", "source", "referralContext", "leadType", "summaryNotes", "promisedNextStep", "followUpDate"];

const EXPECTED: Record<string, { fields: Record<string, unknown>; absent: string[] }> = {
  "vapi/complete-call.json": {
    fields: {
      
      phone: "+15125550142",
      
      fullName: "Maria Gonzalez",
      serviceAddress: "4821 Burnet Road, Austin, Texas 78756",
      market: "Austin",
      serviceType: "Water heater",
      urgency: "standard",
      promisedNextStep: "I'll have our dispatcher call you back within 15 minutes to schedule a technician.",
    },
    absent: ["source", "referralContext", "leadType", "followUpDate"],
  },
  "vapi/never-connected.json": { fields: { phone: "+15125550177" }, absent: NO_CONTENT },
  "vapi/spanish-caller.json": {
    fields: { phone: "+15125550173", fullName: "José Ramírez", serviceType: "Plumbing", urgency: "standard" },
    absent: ["serviceAddress", "market", "source", "leadType"],
  },
  "vapi/second-callback-number.json": {
    fields: {
      phone: "+15125550199",
      fullName: "Kevin Tran",
      serviceAddress: "1907 East Cesar Chavez Street, Unit 4, Austin 78702",
      market: "Austin",
      serviceType: "AC repair",
      urgency: "standard",
    },
    absent: ["source", "leadType"],
  },
  "vapi/referral.json": {
    fields: {
      
      phone: "+15125550164",
      
      fullName: "Priya Shah",
      serviceAddress: "2310 Barton Hills Drive, Austin, TX 78704",
      serviceType: "Drain cleaning",
      source: "referral",
      referralContext: "My neighbor, Linda Park, referred me to you guys.",
    },
    absent: ["leadType"],
  },
  "vapi/estimate-request.json": {
    fields: {
      fullName: "Robert Kim",
      serviceAddress: "1450 Gattis School Road, Round Rock, Texas 78664",
      market: "Round Rock",
      urgency: "low",
      source: "google",
      leadType: "estimate",
      followUpDate: "2025-06-12",
    },
    absent: ["referralContext"],
  },
  "vapi/emergency-burst-pipe.json": {
    fields: {
      fullName: "Angela Torres",
      serviceAddress: "7702 Shoal Creek Boulevard, Austin, TX 78757",
      serviceType: "Plumbing",
      urgency: "active_loss",
      promisedNextStep: "I'm paging our on-call plumber right now, and they'll call you back within 5 minutes on this number.",
    },
    absent: ["leadType", "source"],
  },
  "retell/complete-call.json": {
    fields: { phone: "+15125550131", fullName: "Carlos Mendoza", serviceAddress: "915 West Mary Street, Austin, TX 78704", serviceType: "AC repair", urgency: "standard" },
    absent: ["leadType", "source"],
  },
  "retell/complete-call-ended.json": {
    fields: {
      fullName: "Carlos Mendoza",
      serviceType: "AC repair",
      // No provider summary on call_ended: the caller's own words about the problem.
      summaryNotes: "Our AC stopped cooling last night and the upstairs is at 85 degrees. The fan is running but the air coming out of the vents is warm.",
    },
    absent: ["leadType"],
  },
  "retell/never-connected.json": { fields: { phone: "+15125550182" }, absent: NO_CONTENT },
  "retell/garbled-transcript.json": {
    fields: { phone: "+15125550147", serviceType: "Plumbing", urgency: "standard" },
    absent: ["fullName", "serviceAddress", "market", "source", "leadType", "followUpDate"],
  },
  "retell/second-callback-number.json": {
    fields: {
      phone: "+15125550164",
      fullName: "Hannah Lee",
      serviceAddress: "3302 Red River Street, Apartment 210, Austin, TX 78705",
      serviceType: "Plumbing",
    },
    absent: ["leadType"],
  },
  "retell/referral.json": {
    fields: {
      fullName: "Tom Becker",
      serviceAddress: "6104 Bull Creek Road, Austin 78757",
      serviceType: "electrical",
      urgency: "standard",
      source: "referral",
      referralContext: "Jim from Westlake Hardware recommended you.",
    },
    absent: ["leadType"],
  },
  "retell/estimate-request.json": {
    fields: { fullName: "Sarah Nguyen", market: "Pflugerville", serviceType: "Water heater", leadType: "estimate", followUpDate: "2025-06-17" },
    absent: ["serviceAddress"],
  },
  "retell/emergency-burst-pipe.json": {
    fields: {
      fullName: "Marcus Johnson",
      serviceAddress: "11204 Jollyville Road, Austin, Texas 78759",
      urgency: "active_loss",
      promisedNextStep: "I'm paging our on-call plumber now. They will call you back within 5 minutes.",
    },
    absent: ["leadType"],
  },
  "bland/complete-call.json": {
    fields: { phone: "+15125550151", fullName: "Emily Carter", serviceAddress: "2904 Manor Road, Austin, TX 78722", serviceType: "Plumbing", urgency: "standard" },
    absent: ["leadType", "source"],
  },
  "bland/no-answer.json": { fields: { phone: "+15125550157" }, absent: NO_CONTENT },
  "bland/spanish-caller.json": {
    fields: { phone: "+15125550139", fullName: "Lucía Fernández", serviceType: "Water heater" },
    absent: ["serviceAddress", "market"],
  },
  "bland/second-callback-number.json": {
    fields: {
      phone: "+15125550126",
      fullName: "Greg Wallace",
      serviceAddress: "8810 Spicewood Springs Road, Austin, TX 78759",
      // A heat pump that won't turn on is heating work, and the business lists Heating.
      serviceType: "Heating",
      promisedNextStep: "A technician will call you there within the hour.",
    },
    absent: ["leadType"],
  },
  "bland/referral.json": {
    fields: {
      fullName: "Daniel Ortiz",
      serviceAddress: "4507 Duval Street, Austin, TX 78751",
      serviceType: "Plumbing",
      source: "referral",
      referralContext: "My sister-in-law Karen referred me, you fixed her sewer line last spring.",
    },
    absent: ["leadType"],
  },
  "bland/estimate-request.json": {
    fields: { fullName: "Olivia Bennett", serviceAddress: "1203 Cedar Bend Drive, Austin, TX 78758", leadType: "estimate", followUpDate: "2025-06-11" },
    absent: ["source"],
  },
  // "3418 Speedway" has no street suffix; as the answer to "what's the address?" with a city it is one.
  "bland/emergency-sewage-backup.json": {
    fields: { fullName: "Rachel Kim", serviceAddress: "3418 Speedway, Apartment B, Austin, TX 78705", market: "Austin", serviceType: "Drain cleaning", urgency: "active_loss" },
    absent: ["leadType"],
  },
  "intake/transcript-only.json": {
    fields: {
      phone: "+15125550172",
      fullName: "Nina Patel",
      serviceAddress: "2715 Rosedale Avenue, Austin, TX 78756",
      market: "Austin",
      urgency: "active_loss",
      promisedNextStep: "Okay Nina, I'm sending this to our on-call plumber now and they will call you back within 10 minutes.",
    },
    absent: ["leadType", "referralContext"],
  },
  "intake/web-form-complete.json": { fields: { phone: "+15125550117" }, absent: NO_CONTENT },
};

describe("heuristicExtractor on every fixture", () => {
  it("is named heuristic", () => {
    expect(heuristicExtractor().name).toBe("heuristic");
  });

  for (const [path, { fields, absent }] of Object.entries(EXPECTED)) {
    it(`extracts what the caller said in ${path}, and nothing more`, async () => {
      const extracted = await extractFixture(path);
      expect(extracted).toMatchObject(fields);
      for (const name of absent) expect(extracted, name).not.toHaveProperty(name);
      // Whatever it returns is a real value, never a placeholder null.
      for (const value of Object.values(extracted)) expect(value).not.toBeNull();
    });
  }

  it("uses the provider's summary as notes when there is one", async () => {
    expect((await extractFixture("vapi/complete-call.json")).summaryNotes).toMatch(/^Maria Gonzalez called about a water heater/);
  });
});
